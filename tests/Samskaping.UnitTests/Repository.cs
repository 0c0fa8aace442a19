namespace Samskaping.UnitTests;

/// <summary>The checkout these tests were built from, for tests of its files and scripts.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Samskaping.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Samskaping.sln not found above the test's folder.");
    }
}
