using System.Text.Json;
using System.Text.Json.Serialization;
using CryptoCache.Application.CoinGecko.Models;

namespace CryptoCache.Api.CoinGecko;

/// <summary>
/// Writes a price map in CoinGecko's shape and field order, every number as an exact decimal through
/// <see cref="Utf8JsonWriter.WriteNumber(string, decimal)"/>: no exponent and no binary floating-point noise.
/// </summary>
internal sealed class CoinGeckoPriceMapConverter : JsonConverter<CoinGeckoPriceMap>
{
    public override CoinGeckoPriceMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A CoinGecko price map is only written.");

    public override void Write(Utf8JsonWriter writer, CoinGeckoPriceMap value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        // Indexed rather than foreach: through IReadOnlyList, foreach would allocate an enumerator per coin.
        var entries = value.Entries;
        for (var e = 0; e < entries.Count; e++)
        {
            var entry = entries[e];
            writer.WriteStartObject(entry.Key);
            var fields = entry.Fields;
            for (var f = 0; f < fields.Count; f++)
            {
                var field = fields[f];
                if (field.Value is { } number)
                {
                    writer.WriteNumber(field.Name, number);
                }
                else
                {
                    writer.WriteNull(field.Name);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
