using System.Diagnostics;
using Trunk.Testing;

namespace Trunk.EndToEnd.Tests.Deployment;

/// <summary><c>kubectl kustomize</c> of an overlay under infra/k8s (scripts/lib/infra.sh installs kubectl).</summary>
internal static class Kubectl
{
    public static async Task<(int ExitCode, string Output, string Error)> KustomizeAsync(string overlay)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(Path.Combine("infra", "k8s", "overlays", overlay));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
