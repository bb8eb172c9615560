using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace Spec.Wasi.Tests;

/// <summary>Single functions through their memory layouts: prestat, fdstat, filestat, dirent, poll events, sockets.</summary>
[TestFixture, NonParallelizable]
public sealed class HostTests
{
    DirectoryInfo dir = null!;

    [SetUp] public void SetUp() => dir = Directory.CreateTempSubdirectory("wasi-host-");
    [TearDown] public void TearDown() => dir.Delete(recursive: true);

    [Test]
    public void PreopenNameAndRights()
    {
        using var g = new Guest(new WasiPreopen(dir.FullName, "/data"));
        var pre = g.Alloc(8);
        Assert.That(g.Call("fd_prestat_get", 3, pre), Is.EqualTo(Errno.Success));
        Assert.That((g.Memory.Span(pre, 1)[0], g.U32(pre + 4)), Is.EqualTo(((byte)0, 5u)));
        var name = g.Alloc(5);
        Assert.That(g.Call("fd_prestat_dir_name", 3, name, 4), Is.EqualTo(Errno.NameTooLong));
        Assert.That(g.Call("fd_prestat_dir_name", 3, name, 5), Is.EqualTo(Errno.Success));
        Assert.That(g.Text(name, 5), Is.EqualTo("/data"));
        Assert.That(g.Call("fd_prestat_get", 4, pre), Is.EqualTo(Errno.Badf));
        Assert.That(g.Call("fd_prestat_get", 1, pre), Is.EqualTo(Errno.Badf));
        var stat = g.Alloc(24);
        Assert.That(g.Call("fd_fdstat_get", 3, stat), Is.EqualTo(Errno.Success));
        Assert.That(g.Memory.Span(stat, 1)[0], Is.EqualTo(3), "directory");
        Assert.That(g.U64(stat + 8) & (1 << 13), Is.Not.Zero, "path_open right");
    }

    [Test]
    public void TheDescriptorLimitGivesTheGuestEmfile()
    {
        // Six descriptors: the three standard streams, the preopen, and two more.
        using var g = new Guest([new WasiPreopen(dir.FullName, ".")], [], maxDescriptors: 6);
        var (e1, fd) = g.Open(".", oflags: 2, rights: 0);
        Assert.That((e1, g.Open(".", oflags: 2, rights: 0).Errno), Is.EqualTo((Errno.Success, Errno.Success)));
        Assert.That(g.Open(".", oflags: 2, rights: 0).Errno, Is.EqualTo(Errno.Mfile));
        Assert.That(g.Call("fd_close", fd), Is.EqualTo(Errno.Success));
        Assert.That(g.Open(".", oflags: 2, rights: 0).Errno, Is.EqualTo(Errno.Success), "closing makes room");
    }

    [Test]
    public void PathResolutionHoldsAtMostTheLimitOfDirectoriesOpen()
    {
        // Resolving a/b/c/... keeps each directory walked through open, for "..": as many as the limit, no more.
        var deep = string.Join('/', Enumerable.Range(0, 8).Select(i => $"d{i}"));
        Directory.CreateDirectory(Path.Combine(dir.FullName, deep));
        using var g = new Guest([new WasiPreopen(dir.FullName, ".")], [], maxDescriptors: 6);
        Assert.That(Stat(g, deep), Is.EqualTo(Errno.Mfile), "seven directories to walk through");
        Assert.That(Stat(g, "d0/d1/d2/d3/d4/d5"), Is.EqualTo(Errno.Success), "five");
        using var roomy = new Guest(new WasiPreopen(dir.FullName, "."));
        Assert.That(Stat(roomy, deep), Is.EqualTo(Errno.Success));

        static Errno Stat(Guest g, string path)
        {
            var (p, l) = g.Str(path);
            return g.Call("path_filestat_get", Guest.Dir, 0, p, l, g.Alloc(64));
        }
    }

    [Test]
    public void FilestatAndReaddirCookies()
    {
        File.WriteAllText(Path.Combine(dir.FullName, "a.txt"), "12345");
        Directory.CreateDirectory(Path.Combine(dir.FullName, "b"));
        using var g = new Guest(new WasiPreopen(dir.FullName, "."));
        var (p, l) = g.Str("a.txt");
        var st = g.Alloc(64);
        Assert.That(g.Call("path_filestat_get", 3, 0, p, l, st), Is.EqualTo(Errno.Success));
        Assert.That((g.Memory.Span(st + 16, 1)[0], g.U64(st + 32), g.U64(st + 24)), Is.EqualTo(((byte)4, 5UL, 1UL)));

        // A buffer that holds one entry at a time: the cookies walk the whole listing.
        var names = new List<string>();
        ulong cookie = 0;
        var buf = g.Alloc(64);
        var used = g.Alloc(4);
        for (int guard = 0; guard < 10; guard++)
        {
            Assert.That(g.Call("fd_readdir", 3, buf, 24 + 8, cookie, used), Is.EqualTo(Errno.Success));
            if (g.U32(used) == 0) break;
            int len = (int)g.U32(buf + 16);
            names.Add(g.Text(buf + 24, Math.Min(len, 8)));
            cookie = g.U64(buf);
        }
        Assert.That(names, Is.EquivalentTo(new[] { ".", "..", "a.txt", "b" }));
    }

    [Test]
    public void PollClockTimesOutAndFilesAreReady()
    {
        using var g = new Guest();
        var subs = g.Alloc(96);
        var events = g.Alloc(64);
        var n = g.Alloc(4);
        g.Memory.Span(subs, 96).Clear();
        BitConverter.TryWriteBytes(g.Memory.Span(subs, 8), 42UL);          // userdata
        g.Memory.Span(subs + 8, 1)[0] = 0;                                 // clock
        BitConverter.TryWriteBytes(g.Memory.Span(subs + 16, 4), 1u);       // monotonic
        BitConverter.TryWriteBytes(g.Memory.Span(subs + 24, 8), 30_000_000UL); // 30 ms
        var t = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(g.Call("poll_oneoff", subs, events, 1, n), Is.EqualTo(Errno.Success));
        Assert.That(t.ElapsedMilliseconds, Is.GreaterThanOrEqualTo(29));
        Assert.That((g.U32(n), g.U64(events), g.Memory.Span(events + 10, 1)[0]), Is.EqualTo((1u, 42UL, (byte)0)));

        // With stdout's write subscription beside it, the clock does not wait.
        BitConverter.TryWriteBytes(g.Memory.Span(subs + 48, 8), 7UL);
        g.Memory.Span(subs + 56, 1)[0] = 2;                                // fd_write
        BitConverter.TryWriteBytes(g.Memory.Span(subs + 64, 4), 1u);
        BitConverter.TryWriteBytes(g.Memory.Span(subs + 24, 8), 10_000_000_000UL);
        t.Restart();
        Assert.That(g.Call("poll_oneoff", subs, events, 2, n), Is.EqualTo(Errno.Success));
        Assert.That(t.ElapsedMilliseconds, Is.LessThan(5000));
        Assert.That((g.U32(n), g.U64(events), g.Memory.Span(events + 10, 1)[0]), Is.EqualTo((1u, 7UL, (byte)2)));
        Assert.That(g.Call("poll_oneoff", subs, events, 0, n), Is.EqualTo(Errno.Inval));
    }

    [Test]
    public void PreopenedSocketAcceptsReceivesAndSends()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var client = Task.Run(() =>
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, port);
            var s = c.GetStream();
            s.Write("ping"u8);
            var buf = new byte[16];
            int n = s.Read(buf);
            return Encoding.UTF8.GetString(buf, 0, n);
        });
        using var g = new Guest([new WasiPreopen(dir.FullName, ".")], [listener]);
        var fdp = g.Alloc(4);
        Assert.That(g.Call("sock_accept", 4, 0, fdp), Is.EqualTo(Errno.Success));
        var conn = g.U32(fdp);
        var st = g.Alloc(24);
        Assert.That(g.Call("fd_fdstat_get", conn, st), Is.EqualTo(Errno.Success));
        Assert.That(g.Memory.Span(st, 1)[0], Is.EqualTo(6), "socket_stream");

        var buf = g.Alloc(16);
        var iov = g.Alloc(8);
        BitConverter.TryWriteBytes(g.Memory.Span(iov, 4), buf);
        BitConverter.TryWriteBytes(g.Memory.Span(iov + 4, 4), 4u);
        var len = g.Alloc(4);
        var flags = g.Alloc(2);
        Assert.That(g.Call("sock_recv", conn, iov, 1, 2, len, flags), Is.EqualTo(Errno.Success));
        Assert.That(g.Text(buf, (int)g.U32(len)), Is.EqualTo("ping"));
        var (p, l) = g.Str("pong");
        BitConverter.TryWriteBytes(g.Memory.Span(iov, 4), p);
        BitConverter.TryWriteBytes(g.Memory.Span(iov + 4, 4), l);
        Assert.That(g.Call("sock_send", conn, iov, 1, 0, len), Is.EqualTo(Errno.Success));
        Assert.That(g.Call("sock_shutdown", conn, 3), Is.EqualTo(Errno.Success));
        Assert.That(client.Wait(10_000) && client.Result == "pong");

        Assert.That(g.Call("sock_shutdown", 3, 3), Is.EqualTo(Errno.NotSock), "a directory");
        Assert.That(g.Call("sock_shutdown", 1, 3), Is.EqualTo(Errno.NotSock), "stdout");
        Assert.That(g.Call("sock_shutdown", 99, 3), Is.EqualTo(Errno.Badf));
        Assert.That(g.Call("fd_seek", conn, 0, 0, g.Alloc(8)), Is.EqualTo(Errno.NotCapable), "a socket has no seek right");
    }

    sealed class BrokenStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("broken pipe");
    }

    [Test]
    public void AFailingHostStreamIsAnErrnoNotACrash()
    {
        var mem = Spec.Execution.Embedding.AllocMem(new Spec.Execution.Store(), new Spec.Syntax.MemType(Spec.Syntax.AddrType.I32, new Spec.Syntax.Limits(1, 1)));
        using var wasi = new WasiHost(new WasiOptions { Stdout = new BrokenStream(), Stderr = new MemoryStream([], writable: false) });
        wasi.Bind(mem);
        var args = new[] { 1u, 0u, 1u, 100u }.Select(v => Spec.Execution.Value.I32(v)).ToArray();
        Assert.That(wasi.Call("fd_write", args), Is.EqualTo(Errno.Io));
        args[0] = Spec.Execution.Value.I32(2);
        Assert.That(wasi.Call("fd_write", args), Is.EqualTo(Errno.Badf).Or.EqualTo(Errno.Success), "a read-only stream: an errno, or nothing to write");
    }
}
