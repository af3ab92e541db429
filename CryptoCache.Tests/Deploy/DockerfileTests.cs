using System.Xml.Linq;
using CryptoCache.Tests.Support;

namespace CryptoCache.Tests.Deploy;

/// <summary>
/// The Dockerfiles, offline: images cannot be pulled or built here, so they are linted with dockerfile-utils and read for
/// what the image runs, and every file the build copies is checked to exist and to reach the build context.
/// </summary>
[TestFixture]
public sealed class DockerfileTests
{
    private const string DockerfileUtils = "dockerfile-utils@0.16.3";
    private static readonly string[] SecretWords = ["PASSWORD", "SECRET", "APIKEY", "API_KEY", "TOKEN", "PASSWD"];

    private static DockerfileModel Api => DockerfileModel.Load(DeployPaths.ApiDockerfile);

    private static DockerfileModel Curl => DockerfileModel.Load(DeployPaths.CurlDockerfile);

    [TestCase("docker/Dockerfile")]
    [TestCase("docker/curl.Dockerfile")]
    public async Task Lint_Dockerfile_ReportsNothing(string relativePath)
    {
        var npx = Tool.Find("npx");
        Assert.That(npx, Is.Not.Null, "npx (Node.js with npm) is needed to lint Dockerfiles: apt-get install -y nodejs npm");

        var result = await Tool.RunAsync(npx!, ["--yes", DockerfileUtils, "lint", Path.Combine(DeployPaths.Root, relativePath)], RepoPaths.Root, TimeSpan.FromMinutes(3));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Output, Does.Not.Contain("Error:"), result.ToString());
            Assert.That(result.Output.Trim(), Is.Empty, $"no warnings either: {result}");
        }
    }

    [Test]
    public void ApiDockerfile_Stages_BuildOnTheSdkAndRunOnAspnet()
    {
        var stages = Api.Stages;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stages, Has.Count.EqualTo(2));
            Assert.That((stages[0].BaseImage, stages[0].Name), Is.EqualTo(("mcr.microsoft.com/dotnet/sdk:10.0", "build")));
            Assert.That(stages[^1].BaseImage, Is.EqualTo("mcr.microsoft.com/dotnet/aspnet:10.0"));
            Assert.That(stages[^1].Where("COPY").Select(c => c.Arguments), Has.All.StartsWith("--from=build "), "the runtime image holds only the published app");
            Assert.That(stages[0].Where("RUN").Select(r => r.Arguments), Has.Some.Contains("dotnet publish CryptoCache.Api/CryptoCache.Api.csproj -c Release"));
        }
    }

    [Test]
    public void ApiDockerfile_FinalStage_RunsNonRootExecFormOnTheSeedPort()
    {
        var final = Api.Final;
        var environment = final.Environment;
        var exposed = final.Where("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(final.Last("USER")?.Arguments, Is.Not.Null.And.Not.EqualTo("root").And.Not.EqualTo("0").And.Not.StartWith("0:"), "USER is not root");
            Assert.That(final.Last("USER")?.Arguments, Is.EqualTo("$APP_UID"), "the aspnet image's app user (1654, as in the pod's runAsUser)");
            Assert.That(DockerfileModel.ExecForm(final.Last("ENTRYPOINT")!), Is.EqualTo(new[] { "dotnet", "CryptoCache.Api.dll" }), "exec form, so dotnet is PID 1 and gets SIGTERM");
            Assert.That(final.Where("CMD"), Is.Empty);
            Assert.That(exposed, Is.EquivalentTo(new[] { "8000", "9090" }));
            Assert.That(environment["ASPNETCORE_URLS"], Is.EqualTo("http://+:8000"));
            Assert.That(environment["ASPNETCORE_HTTP_PORTS"], Is.Empty, "the base image's 8080 is cleared");
            Assert.That(environment["Management__Port"], Is.EqualTo("9090"));
            Assert.That((environment.GetValueOrDefault("MALLOC_ARENA_MAX"), environment.GetValueOrDefault("MALLOC_MMAP_THRESHOLD_")), Is.EqualTo(("2", "65536")),
                "the allocator settings the README's RSS figure is measured with (bench/run.sh reads them from here)");
            Assert.That(final.Last("WORKDIR")?.Arguments, Is.EqualTo("/app"));
        }
    }

    [Test]
    public void ApiDockerfile_Environment_HoldsNoSecretAndOnlyKeysTheAppReads()
    {
        foreach (var stage in Api.Stages)
        {
            var names = stage.Environment.Keys.Concat(stage.Where("ARG").Select(a => a.Arguments.Split('=')[0]));
            Assert.That(names.Where(n => SecretWords.Any(w => n.Contains(w, StringComparison.OrdinalIgnoreCase))), Is.Empty, $"stage {stage.Name ?? stage.BaseImage}");
        }

        foreach (var name in Api.Final.Environment.Keys.Where(n => !ConfigurationKeys.NativeRuntimeVariables.Contains(n)))
        {
            Assert.That(ConfigurationKeys.KeyOf(name), Is.Not.Null, $"ENV {name} is a key the app or ASP.NET Core reads");
        }
    }

    [Test]
    public void ApiDockerfile_Restore_CopiesEveryProjectTheApiNeedsBeforeItsSources()
    {
        var build = Api.Stages[0].Instructions.ToList();
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        Assert.That(restore, Is.GreaterThan(0), "a restore step of its own, cached apart from the sources");
        var before = CopySources(build.Take(restore)).ToList();
        var after = CopySources(build.Skip(restore)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.SupersetOf(new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" }));
            foreach (var project in ProjectClosure(Path.Combine(RepoPaths.Root, "CryptoCache.Api", "CryptoCache.Api.csproj")))
            {
                var relative = Path.GetRelativePath(RepoPaths.Root, project).Replace('\\', '/');
                Assert.That(before, Does.Contain(relative), $"{relative} is copied before the restore");
                Assert.That(after, Does.Contain(Path.GetDirectoryName(relative) + "/"), $"{Path.GetDirectoryName(relative)}/ is copied after it");
            }

            Assert.That(before.Concat(after), Has.None.Contains("Tests").And.None.Contains("FakeCoinGecko"), "the image holds no test code");
        }
    }

    [Test]
    public void ApiDockerfile_CopySources_ExistAndAreInTheBuildContext()
    {
        var ignore = DockerIgnore.Load(DeployPaths.DockerIgnore);

        foreach (var source in CopySources(Api.Stages[0].Instructions))
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(File.Exists(Path.Combine(RepoPaths.Root, source)) || Directory.Exists(Path.Combine(RepoPaths.Root, source)), Is.True, $"{source} exists");
                Assert.That(ignore.Excludes(source), Is.False, $"{source} is not left out by .dockerignore");
            }
        }
    }

    [Test]
    public void DockerIgnore_LeavesOutBuildOutputHistoryAndSecrets()
    {
        var ignore = DockerIgnore.Load(DeployPaths.DockerIgnore);

        using (Assert.EnterMultipleScope())
        {
            foreach (var path in new[]
                     {
                         "CryptoCache.Api/bin/Debug/net10.0/CryptoCache.Api.dll", "CryptoCache.Domain/obj/project.assets.json", ".git/HEAD",
                         "node_modules/x/index.js", "clients/ts/node_modules/x/index.js", "CryptoCache.Tests/TestResults/a.trx",
                         "deploy/compose/.env", "CryptoCache.Tests/Api/PriceEndpointTests.cs",
                     })
            {
                Assert.That(ignore.Excludes(path), Is.True, path);
            }

            foreach (var path in new[] { "CryptoCache.Api/Program.cs", "CryptoCache.Api/appsettings.json", "Directory.Packages.props", "global.json" })
            {
                Assert.That(ignore.Excludes(path), Is.False, path);
            }
        }
    }

    [Test]
    public void CurlDockerfile_SmallNonRootImage_SleepsByDefault()
    {
        var final = Curl.Final;
        var user = final.Last("USER")?.Arguments ?? string.Empty;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Curl.Stages, Has.Count.EqualTo(1));
            Assert.That(final.BaseImage, Does.StartWith("alpine:"));
            Assert.That(final.Where("RUN").Select(r => r.Arguments), Has.Some.Contains("apk add --no-cache curl"));
            Assert.That(user, Is.Not.Empty.And.Not.EqualTo("root"));
            Assert.That(int.Parse(user.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture), Is.Not.Zero,
                "a numeric uid, so Kubernetes can verify runAsNonRoot");
            Assert.That(DockerfileModel.ExecForm(final.Last("CMD")!), Is.EqualTo(new[] { "sleep", "3600" }));
            Assert.That(final.Where("ENTRYPOINT"), Is.Empty);
        }
    }

    /// <summary>Sources of COPY instructions that copy from the build context (not from another stage).</summary>
    private static IEnumerable<string> CopySources(IEnumerable<DockerInstruction> instructions) =>
        instructions
            .Where(i => i.Keyword is "COPY" or "ADD" && !i.Arguments.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(i =>
            {
                var words = i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
                return words[..^1];
            });

    /// <summary>The project and every project it references, transitively.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, include)));
            }
        }

        return seen;
    }
}
