namespace Trunk.Testing;

/// <summary>Finds files of the repository from a test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built assembly of a service host, e.g. <c>ServiceAssembly("Policy")</c>.</summary>
    public static string ServiceAssembly(string service)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(Root, "services", service, "bin", configuration, "net10.0", $"Trunk.{service}.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Build the solution first: {path} is missing.", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Microservices.sln above {AppContext.BaseDirectory}.");
    }
}
