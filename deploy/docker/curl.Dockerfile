# syntax=docker/dockerfile:1
# Debug image for poking the service from inside the cluster or the Compose network: curl and wget, nothing else.
#   docker build -f deploy/docker/curl.Dockerfile -t YOUR_DOCKERHUB_USERNAME/cryptocache-curl:1.0.0 deploy/docker
FROM alpine:3.22

RUN apk add --no-cache curl ca-certificates \
    && addgroup -S -g 10001 debug \
    && adduser -S -D -H -u 10001 -G debug debug

# busybox provides wget; curl is added above.
USER 10001:10001
WORKDIR /tmp
CMD ["sleep", "3600"]
