using System.Net;
using System.Text.Json.Nodes;
using CryptoCache.FakeCoinGecko;

namespace CryptoCache.Tests.Fake;

/// <summary>Plain HTTP calls to a fake CoinGecko, as a client would make them.</summary>
internal sealed class FakeHttp(FakeCoinGeckoServer fake) : IDisposable
{
    private readonly HttpClient _client = new() { BaseAddress = fake.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>GET <paramref name="path"/> relative to <c>/api/v3/</c> (or absolute, e.g. <c>/__fake/stats</c>).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text));
    }

    /// <summary>GET that must answer 200; the JSON body.</summary>
    public async Task<JsonNode> GetOkAsync(string path)
    {
        var (status, body) = await GetAsync(path);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {body?.ToJsonString()}");
        return body!;
    }

    public async Task PostAsync(string path)
    {
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), content: null);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _client.Dispose();
}
