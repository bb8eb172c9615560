namespace Spec.Wasi;

/// <summary>
/// Path resolution inside a directory descriptor (the capability). Every component is looked up by the host
/// relative to the directory reached so far, never following a symbolic link the host finds on its own:
/// links are read and resolved here, so `..` that climbs above the starting directory, absolute paths and
/// links whose target leaves it are all ENOTCAPABLE. A link swapped in after a check makes the host call
/// fail (O_NOFOLLOW), it never escapes.
/// </summary>
internal sealed class Resolved(int parent, bool owned, string name, bool trailingSlash) : IDisposable
{
    /// <summary>The host descriptor of the directory holding the last component.</summary>
    public int Parent { get; } = parent;

    /// <summary>The last component ("." when the path names the directory itself).</summary>
    public string Name { get; } = name;

    /// <summary>Whether the path ended in '/': the last component must be a directory.</summary>
    public bool TrailingSlash { get; } = trailingSlash;

    /// <summary>The last component as the entry operations (mkdir, unlink, rename) see it, slash kept.</summary>
    public string Entry => TrailingSlash && Name != "." ? Name + "/" : Name;

    public void Dispose() { if (owned) HostFiles.Current.Close(Parent); }
}

internal static class Sandbox
{
    const int MaxLinks = 32;

    static IHostFiles Files => HostFiles.Current;

    /// <summary>
    /// Resolves <paramref name="path"/> under <paramref name="dir"/>; follows a final link only if <paramref name="follow"/>.
    /// The directories walked through stay open (for ".."), at most <paramref name="maxOpen"/> of them: EMFILE beyond.
    /// </summary>
    public static Resolved Resolve(HostDescriptor dir, string path, bool follow, int maxOpen)
    {
        if (path.Length == 0) throw new WasiError(Errno.NoEnt);
        if (path.Contains('\0')) throw new WasiError(Errno.Inval);
        if (path[0] == '/') throw new WasiError(Errno.NotCapable);
        bool trailing = path.EndsWith('/');
        var rest = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var opened = new Stack<int>();
        int links = 0;
        int Cur() => opened.Count > 0 ? opened.Peek() : dir.Fd;
        try
        {
            while (rest.Count > 0)
            {
                var c = rest.Pop();
                bool last = rest.Count == 0;
                if (c == ".") continue;
                if (c == "..")
                {
                    if (opened.Count == 0) throw new WasiError(Errno.NotCapable);
                    Files.Close(opened.Pop());
                    continue;
                }
                if (last && !follow && !trailing) return Result(c);
                var st = Files.TryStatAt(Cur(), c, follow: false);
                if (st is { IsLink: true })
                {
                    // A link is expanded in the directory that holds it; its target's components come next.
                    if (++links > MaxLinks) throw new WasiError(Errno.Loop);
                    var target = System.Text.Encoding.UTF8.GetString(Files.ReadLinkAt(Cur(), c));
                    if (target.StartsWith('/')) throw new WasiError(Errno.NotCapable);
                    if (last && target.EndsWith('/')) trailing = true;
                    foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) rest.Push(t);
                    if (rest.Count == 0) return Result(".");
                    continue;
                }
                if (last) return Result(c);
                if (st is null) throw new WasiError(Errno.NoEnt);
                if (!st.Value.IsDir) throw new WasiError(Errno.NotDir);
                if (opened.Count >= maxOpen) throw new WasiError(Errno.Mfile);
                opened.Push(Files.OpenAt(Cur(), c, HostOpenFlags.PathOnly | HostOpenFlags.Directory | HostOpenFlags.NoFollow));
            }
            return Result(".");
        }
        catch
        {
            while (opened.Count > 0) Files.Close(opened.Pop());
            throw;
        }

        Resolved Result(string name)
        {
            // Only the innermost directory stays open; the ones above it are no longer needed.
            int parent = opened.Count > 0 ? opened.Pop() : dir.Fd;
            bool owned = parent != dir.Fd;
            while (opened.Count > 0) Files.Close(opened.Pop());
            return new Resolved(parent, owned, name, trailing);
        }
    }
}
