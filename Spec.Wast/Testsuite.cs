using Spec.Syntax;

namespace Spec.Wast;

/// <summary>Where the official testsuite is, and which .wast files a command line names.</summary>
internal static class Testsuite
{
    /// <summary>The repository root: the nearest directory holding WasmSpec.sln above the executable, else above the current directory.</summary>
    public static string? RepoRoot() =>
        FindUp(AppContext.BaseDirectory, "WasmSpec.sln") ?? FindUp(Directory.GetCurrentDirectory(), "WasmSpec.sln");

    static string? FindUp(string start, string marker)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, marker))) return dir.FullName;
        return null;
    }

    /// <summary>The testsuite root: --testsuite, then $WASM_TESTSUITE, then test/testsuite, then ../shared/testsuite beside the repo root.</summary>
    public static string? Root(string? option)
    {
        if (option is not null) return Path.GetFullPath(option);
        if (Environment.GetEnvironmentVariable("WASM_TESTSUITE") is { Length: > 0 } env) return Path.GetFullPath(env);
        if (RepoRoot() is not { } repo) return null;
        foreach (var candidate in new[] { Path.Combine(repo, "test", "testsuite"), Path.Combine(repo, "..", "shared", "testsuite") })
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }

    /// <summary>The threads proposal's concurrent scripts: --threads-testsuite, then $WASM_THREADS_TESTSUITE, then ../shared/testsuite-threads beside the repo root.</summary>
    public static string? ThreadsRoot(string? option)
    {
        if (option is not null) return Path.GetFullPath(option);
        if (Environment.GetEnvironmentVariable("WASM_THREADS_TESTSUITE") is { Length: > 0 } env) return Path.GetFullPath(env);
        if (RepoRoot() is not { } repo) return null;
        var candidate = Path.Combine(repo, "..", "shared", "testsuite-threads");
        return Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
    }

    /// <summary>The folders --all runs: the root, legacy/, custom/ and every folder of proposals/.</summary>
    public static IEnumerable<string> AllFolders(string root)
    {
        yield return root;
        foreach (var sub in new[] { "legacy", "custom" })
            if (Directory.Exists(Path.Combine(root, sub))) yield return Path.Combine(root, sub);
        var proposals = Path.Combine(root, "proposals");
        if (Directory.Exists(proposals))
            foreach (var dir in Directory.GetDirectories(proposals).Order(StringComparer.Ordinal))
                yield return dir;
    }

    /// <summary>
    /// The features each testsuite folder was written against, when not Wasm 3.0 exactly: each proposal's folder
    /// (and legacy/) with its proposal on; proposals/threads also without what its base predates: reference types'
    /// multiple tables, multi-memory and memory64 (u32 limits).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Features> Profiles = new Dictionary<string, Features>(StringComparer.Ordinal)
    {
        ["legacy"] = new(LegacyExceptions: true),
        ["proposals/threads"] = new(MultiMemory: false, MultiTable: false, Memory64: false, Threads: true),
        ["proposals/wide-arithmetic"] = new(WideArithmetic: true),
        ["proposals/custom-page-sizes"] = new(CustomPageSizes: true),
        ["proposals/custom-descriptors"] = new(CustomDescriptors: true),
    };

    /// <summary>The features of the threads proposal's concurrent scripts (wast-run --threads): Wasm 3.0 with threads.</summary>
    public static readonly Features ThreadsScripts = new(Threads: true);

    /// <summary>The profile of the folder a file (by its display name) is in, else <see cref="Features.Default"/>.</summary>
    public static Features ProfileOf(string displayName)
    {
        int slash = displayName.LastIndexOf('/');
        return slash > 0 && Profiles.TryGetValue(displayName[..slash], out var f) ? f : Features.Default;
    }

    /// <summary>The .wast files of a path: a file itself, or a folder's *.wast (not recursive), sorted.
    /// A path that does not exist as given is looked up relative to the testsuite root.</summary>
    public static IReadOnlyList<string> Files(string path, string? root)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full) && root is not null) full = Path.GetFullPath(Path.Combine(root, path));
        if (File.Exists(full)) return [full];
        if (Directory.Exists(full)) return Directory.GetFiles(full, "*.wast").Order(StringComparer.Ordinal).ToList();
        throw new FileNotFoundException($"no such file or folder: {path}");
    }

    /// <summary>The name a file is reported and listed under: relative to the testsuite root with '/', else as found.</summary>
    public static string DisplayName(string file, string? root)
    {
        if (root is not null)
        {
            string rel = Path.GetRelativePath(root, file);
            if (!rel.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(rel)) return rel.Replace('\\', '/');
        }
        return file.Replace('\\', '/');
    }
}
