using System.Text.Json.Nodes;

namespace CryptoCache.Tests.Support;

internal static class Problem
{
    /// <summary>Asserts an RFC 7807 answer with this status, and returns its body.</summary>
    public static async Task<JsonObject> AssertAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        }

        var problem = JsonNode.Parse(body)!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int?)problem["status"], Is.EqualTo(status));
            Assert.That((string?)problem["title"], Is.Not.Empty);
            Assert.That((string?)problem["traceId"], Is.Not.Empty);
        }

        return problem;
    }
}
