namespace CryptoCache.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The checkout: the folder above the test binaries that holds CryptoCache.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, whichever the tests were built in; the API was built alongside.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string ApiDll => Path.Combine(Root, "CryptoCache.Api", "bin", Configuration, "net10.0", "CryptoCache.Api.dll");

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CryptoCache.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CryptoCache.sln not found above " + AppContext.BaseDirectory);
    }
}
