// The public surface of @cryptocache/client: everything NSwag generated in client.ts.
// client.ts is regenerated from openapi.json (npm run generate); do not edit it by hand.
export * from "./client";
