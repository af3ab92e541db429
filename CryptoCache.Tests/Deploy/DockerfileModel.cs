using System.Text;
using System.Text.Json;

namespace CryptoCache.Tests.Deploy;

internal sealed record DockerInstruction(string Keyword, string Arguments, int Line);

internal sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> Where(string keyword) =>
        Instructions.Where(i => i.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));

    public DockerInstruction? Last(string keyword) => Where(keyword).LastOrDefault();

    /// <summary>The stage's ENV, in order, later values winning.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var instruction in Where("ENV"))
            {
                foreach (var (name, value) in DockerfileModel.ParseEnv(instruction.Arguments))
                {
                    environment[name] = value;
                }
            }

            return environment;
        }
    }
}

/// <summary>Just enough of a Dockerfile parser to read what the image runs: stages, ENV, USER, EXPOSE, ENTRYPOINT, COPY.</summary>
internal sealed class DockerfileModel
{
    private DockerfileModel(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public static DockerfileModel Load(string path)
    {
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        string? image = null;
        string? name = null;
        foreach (var instruction in Instructions(File.ReadAllLines(path)))
        {
            if (instruction.Keyword == "FROM")
            {
                if (current is not null)
                {
                    stages.Add(new DockerStage(image!, name, current));
                }

                var parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                image = parts[0];
                name = parts.Length >= 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
                current = [];
            }
            else
            {
                Assert.That(current, Is.Not.Null, $"{path}:{instruction.Line}: {instruction.Keyword} before FROM");
                current!.Add(instruction);
            }
        }

        Assert.That(current, Is.Not.Null, $"{path} has no FROM");
        stages.Add(new DockerStage(image!, name, current!));
        return new DockerfileModel(stages);
    }

    /// <summary>The JSON array of an exec-form instruction (ENTRYPOINT, CMD), or null for the shell form.</summary>
    public static string[]? ExecForm(DockerInstruction instruction)
    {
        var text = instruction.Arguments.Trim();
        if (!text.StartsWith('['))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<string[]>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>ENV a=1 b="two words" c=</c>, or the old <c>ENV name value</c> form.</summary>
    public static IEnumerable<(string Name, string Value)> ParseEnv(string arguments)
    {
        var words = Words(arguments).ToList();
        if (words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            var separator = arguments.TrimStart().IndexOfAny([' ', '\t']);
            yield return (words[0], separator < 0 ? string.Empty : arguments.TrimStart()[separator..].Trim());
            yield break;
        }

        foreach (var word in words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            yield return (word[..equals], word[(equals + 1)..]);
        }
    }

    private static IEnumerable<DockerInstruction> Instructions(string[] lines)
    {
        var buffer = new StringBuilder();
        var startLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (buffer.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (buffer.Length > 0 && line.StartsWith('#'))
            {
                continue; // comment lines inside a continued instruction are dropped, as Docker does
            }

            if (buffer.Length == 0)
            {
                startLine = i + 1;
            }

            if (line.EndsWith('\\'))
            {
                buffer.Append(line[..^1]).Append(' ');
                continue;
            }

            buffer.Append(line);
            var text = buffer.ToString().Trim();
            buffer.Clear();
            var space = text.IndexOfAny([' ', '\t']);
            yield return space < 0
                ? new DockerInstruction(text.ToUpperInvariant(), string.Empty, startLine)
                : new DockerInstruction(text[..space].ToUpperInvariant(), text[(space + 1)..].Trim(), startLine);
        }
    }

    /// <summary>Whitespace-separated words; double quotes group and are removed.</summary>
    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (!quoted && char.IsWhiteSpace(c))
            {
                if (any)
                {
                    yield return word.ToString();
                    word.Clear();
                    any = false;
                }
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }

        if (any)
        {
            yield return word.ToString();
        }
    }
}
