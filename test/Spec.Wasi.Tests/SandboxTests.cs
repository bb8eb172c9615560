using NUnit.Framework;

namespace Spec.Wasi.Tests;

/// <summary>
/// Sandbox escapes: `..`, absolute paths, symbolic links out (also swapped in during resolution), hard links and
/// renames out, writes through a read-only preopen. None may reach outside the preopened directory.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class SandboxTests
{
    const uint Follow = 1;
    DirectoryInfo root = null!;
    string sandbox = null!, outside = null!, readOnly = null!;

    [SetUp]
    public void SetUp()
    {
        root = Directory.CreateTempSubdirectory("wasi-sandbox-");
        sandbox = Directory.CreateDirectory(Path.Combine(root.FullName, "sandbox")).FullName;
        outside = Directory.CreateDirectory(Path.Combine(root.FullName, "outside")).FullName;
        readOnly = Directory.CreateDirectory(Path.Combine(root.FullName, "ro")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "SECRET");
        File.WriteAllText(Path.Combine(sandbox, "file.txt"), "inside");
        File.WriteAllText(Path.Combine(readOnly, "kept.txt"), "kept");
        Directory.CreateDirectory(Path.Combine(sandbox, "sub"));
        File.CreateSymbolicLink(Path.Combine(sandbox, "up"), "..");
        File.CreateSymbolicLink(Path.Combine(sandbox, "out"), "../outside");
        File.CreateSymbolicLink(Path.Combine(sandbox, "abs"), outside);
        File.CreateSymbolicLink(Path.Combine(sandbox, "ok"), "sub");
        File.CreateSymbolicLink(Path.Combine(sandbox, "loop"), "loop");
    }

    [TearDown]
    public void TearDown() => root.Delete(recursive: true);

    Guest NewGuest() => new(new WasiPreopen(sandbox, "/sandbox"), new WasiPreopen(readOnly, "/ro", ReadOnly: true));

    void AssertOutsideUntouched()
    {
        Assert.That(Directory.GetFileSystemEntries(outside).Select(Path.GetFileName), Is.EquivalentTo(new[] { "secret.txt" }));
        Assert.That(File.ReadAllText(Path.Combine(outside, "secret.txt")), Is.EqualTo("SECRET"));
        Assert.That(Directory.GetFileSystemEntries(root.FullName).Select(Path.GetFileName), Is.EquivalentTo(new[] { "sandbox", "outside", "ro" }));
    }

    [TestCase("../outside/secret.txt")]
    [TestCase("sub/../../outside/secret.txt")]
    [TestCase("/etc/passwd")]
    [TestCase("/sandbox/file.txt")]
    [TestCase("..")]
    [TestCase("out/secret.txt")]
    [TestCase("abs/secret.txt")]
    [TestCase("up/outside/secret.txt")]
    [TestCase("ok/../../outside/secret.txt")]
    public void EscapingPathsAreNotCapable(string path)
    {
        using var g = NewGuest();
        Assert.That(g.Open(path, lookup: Follow).Errno, Is.EqualTo(Errno.NotCapable));
        Assert.That(g.Open(path, lookup: 0).Errno, Is.EqualTo(Errno.NotCapable).Or.EqualTo(Errno.Loop));
        var (p, l) = g.Str(path);
        Assert.That(g.Call("path_filestat_get", Guest.Dir, Follow, p, l, g.Alloc(64)), Is.EqualTo(Errno.NotCapable));
        Assert.That(g.Call("path_create_directory", Guest.Dir, p, l), Is.EqualTo(Errno.NotCapable).Or.EqualTo(Errno.Exist));
        Assert.That(g.Call("path_unlink_file", Guest.Dir, p, l), Is.Not.EqualTo(Errno.Success));
        AssertOutsideUntouched();
    }

    [Test]
    public void LinksInsideTheSandboxAreFollowed()
    {
        using var g = NewGuest();
        var (e, fd) = g.Open("ok/../file.txt", lookup: Follow);
        Assert.That(e, Is.EqualTo(Errno.Success));
        Assert.That(g.Read(fd), Is.EqualTo((Errno.Success, "inside")));
    }

    [Test]
    public void AFinalLinkIsNotFollowedWithoutSymlinkFollow()
    {
        using var g = NewGuest();
        var (p, l) = g.Str("out");
        var buf = g.Alloc(64);
        Assert.That(g.Call("path_filestat_get", Guest.Dir, 0, p, l, buf), Is.EqualTo(Errno.Success));
        Assert.That(g.Memory.Span(buf + 16, 1)[0], Is.EqualTo(7), "filetype symbolic_link");
        Assert.That(g.Open("out", lookup: 0).Errno, Is.EqualTo(Errno.Loop), "O_NOFOLLOW on a link");
        Assert.That(g.Open("loop", lookup: Follow).Errno, Is.EqualTo(Errno.Loop));
    }

    [Test]
    public void HardLinksCannotReachOut()
    {
        using var g = NewGuest();
        var (src, sl) = g.Str("out/secret.txt");
        var (dst, dl) = g.Str("stolen");
        Assert.That(g.Call("path_link", Guest.Dir, Follow, src, sl, Guest.Dir, dst, dl), Is.EqualTo(Errno.NotCapable));
        Assert.That(g.Call("path_link", Guest.Dir, 0, src, sl, Guest.Dir, dst, dl), Is.EqualTo(Errno.NotCapable));
        var (f, fl) = g.Str("file.txt");
        var (up, ul) = g.Str("../planted");
        Assert.That(g.Call("path_link", Guest.Dir, 0, f, fl, Guest.Dir, up, ul), Is.EqualTo(Errno.NotCapable));
        var (o, ol) = g.Str("out/planted");
        Assert.That(g.Call("path_link", Guest.Dir, 0, f, fl, Guest.Dir, o, ol), Is.EqualTo(Errno.NotCapable));
        Assert.That(File.Exists(Path.Combine(sandbox, "stolen")), Is.False);
        AssertOutsideUntouched();
    }

    [Test]
    public void RenamesCannotReachOut()
    {
        using var g = NewGuest();
        var (f, fl) = g.Str("file.txt");
        foreach (var target in new[] { "../moved", "out/moved", "abs/moved", "up/moved", "sub/../../moved" })
        {
            var (t, tl) = g.Str(target);
            Assert.That(g.Call("path_rename", Guest.Dir, f, fl, Guest.Dir, t, tl), Is.EqualTo(Errno.NotCapable), target);
        }
        var (s, sl) = g.Str("out/secret.txt");
        var (i, il) = g.Str("taken");
        Assert.That(g.Call("path_rename", Guest.Dir, s, sl, Guest.Dir, i, il), Is.EqualTo(Errno.NotCapable));
        Assert.That(File.ReadAllText(Path.Combine(sandbox, "file.txt")), Is.EqualTo("inside"));
        AssertOutsideUntouched();
    }

    [Test]
    public void SymlinksMadeByTheGuestCannotBeFollowedOut()
    {
        using var g = NewGuest();
        var (abs, al) = g.Str("/etc/passwd");
        var (n1, l1) = g.Str("mine");
        Assert.That(g.Call("path_symlink", abs, al, Guest.Dir, n1, l1), Is.EqualTo(Errno.NotCapable));
        var (rel, rl) = g.Str("../outside/secret.txt");
        var (n2, l2) = g.Str("rel");
        Assert.That(g.Call("path_symlink", rel, rl, Guest.Dir, n2, l2), Is.EqualTo(Errno.Success));
        Assert.That(g.Open("rel", lookup: Follow).Errno, Is.EqualTo(Errno.NotCapable));
        AssertOutsideUntouched();
    }

    [Test]
    public void ReadOnlyPreopensRefuseChanges()
    {
        using var g = NewGuest();
        const uint ro = 4;
        Assert.That(g.Open("new.txt", oflags: 1, dir: ro).Errno, Is.EqualTo(Errno.NotCapable), "create");
        Assert.That(g.Open("kept.txt", oflags: 8, dir: ro).Errno, Is.EqualTo(Errno.NotCapable), "truncate");
        var (e, fd) = g.Open("kept.txt", dir: ro);
        Assert.That(e, Is.EqualTo(Errno.Success));
        Assert.That(g.Write(fd, "overwritten"), Is.EqualTo(Errno.NotCapable));
        Assert.That(g.Read(fd), Is.EqualTo((Errno.Success, "kept")));
        var (p, l) = g.Str("kept.txt");
        Assert.That(g.Call("path_unlink_file", ro, p, l), Is.EqualTo(Errno.NotCapable));
        Assert.That(g.Call("path_create_directory", ro, p, l), Is.EqualTo(Errno.NotCapable));
        Assert.That(g.Call("fd_fdstat_set_rights", ro, 0x1fffffff, 0x1fffffff), Is.EqualTo(Errno.NotCapable), "rights cannot grow");
        Assert.That(File.ReadAllText(Path.Combine(readOnly, "kept.txt")), Is.EqualTo("kept"));
    }

    /// <summary>A directory on the path is swapped for a link out while the guest resolves through it.</summary>
    [Test]
    public void ALinkSwappedInDuringResolutionDoesNotEscape()
    {
        var flip = Path.Combine(sandbox, "flip");
        var real = Path.Combine(sandbox, "flip-real");
        var link = Path.Combine(sandbox, "flip-link");
        Directory.CreateDirectory(flip);
        File.WriteAllText(Path.Combine(flip, "secret.txt"), "inside");
        File.CreateSymbolicLink(link, "../outside");
        using var stop = new CancellationTokenSource();
        int swaps = 0;
        var host = HostFiles.Current;
        int root = host.OpenDirectory("/");
        var swapper = Task.Run(() =>
        {
            // rename(2) directly: each state (real directory, link out) holds for a moment, then flips.
            bool Rename(string a, string b)
            {
                try { host.RenameAt(root, a, root, b); return true; }
                catch (WasiError) { return false; }
            }
            while (!stop.IsCancellationRequested)
            {
                if (Rename(flip, real) && Rename(link, flip)) { Thread.SpinWait(2000); Rename(flip, link); Rename(real, flip); swaps++; }
                Thread.SpinWait(2000);
            }
        });
        using var g = NewGuest();
        int inside = 0, escaped = 0, refused = 0;
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < deadline || inside == 0 && DateTime.UtcNow < deadline.AddSeconds(20))
        {
            foreach (var lookup in new[] { 0u, Follow })
            {
                var (e, fd) = g.Open("flip/secret.txt", lookup: lookup);
                if (e != Errno.Success) { refused++; continue; }
                var (_, text) = g.Read(fd);
                g.Call("fd_close", fd);
                if (text == "SECRET") escaped++; else inside++;
            }
        }
        stop.Cancel();
        swapper.Wait();
        host.Close(root);
        TestContext.Out.WriteLine($"swaps {swaps}, opens through the directory {inside}, refused {refused}, escaped {escaped}");
        Assert.That(swaps, Is.GreaterThan(0), "the swap was staged");
        Assert.That(refused, Is.GreaterThan(0), "some opens met the link");
        Assert.That(escaped, Is.Zero, "reads of the outside file");
        Assert.That(inside, Is.GreaterThan(0), "the race was staged: some opens went through the real directory");
    }

    [Test]
    public void MissingAndNonDirectoryComponents()
    {
        using var g = NewGuest();
        Assert.That(g.Open("nope/x").Errno, Is.EqualTo(Errno.NoEnt));
        Assert.That(g.Open("file.txt/x").Errno, Is.EqualTo(Errno.NotDir));
        Assert.That(g.Open("").Errno, Is.EqualTo(Errno.NoEnt));
        Assert.That(g.Open("file.txt", dir: 1).Errno, Is.EqualTo(Errno.NotDir), "stdout is not a directory");
        Assert.That(g.Open("file.txt", dir: 99).Errno, Is.EqualTo(Errno.Badf));
    }
}
