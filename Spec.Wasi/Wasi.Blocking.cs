using System.Net.Sockets;
using Store = Spec.Execution.Store;

namespace Spec.Wasi;

// The calls that can block the guest's thread — sleeping in poll_oneoff, reading a pipe, a terminal or a socket —
// wait in a way that ends when the store is asked to stop (its deadline passed, or an interruption), so that a
// deadline stops a program whatever it is doing. The call then ends the run with the store's reason.

public sealed partial class WasiHost
{
    /// <summary>The store whose functions these are (set when the imports are resolved); its stopping ends a blocked call.</summary>
    Store? store;

    /// <summary>How often a wait that cannot watch a token looks whether the store must stop.</summary>
    static readonly TimeSpan StopCheck = TimeSpan.FromMilliseconds(50);

    CancellationToken Stopping => store?.Stopping ?? CancellationToken.None;

    /// <summary>Ends the call (and the run) if the store must stop.</summary>
    void StopIfAsked() => store?.ThrowIfStopping();

    /// <summary>Sleeps for <paramref name="time"/> or until the store must stop.</summary>
    void Sleep(TimeSpan time)
    {
        if (Stopping.WaitHandle.WaitOne(time)) StopIfAsked();
    }

    /// <summary>Reads a stream that may block (a pipe, a terminal): on another thread, so that the wait can end.</summary>
    int ReadStream(Stream input, Span<byte> into)
    {
        var token = Stopping;
        if (!token.CanBeCanceled || input is MemoryStream) return input.Read(into);
        var buffer = new byte[Math.Min(into.Length, 1 << 16)];
        var read = Task.Run(() => input.Read(buffer, 0, buffer.Length));
        while (true)
        {
            try
            {
                read.Wait(token);
                break;
            }
            catch (OperationCanceledException)
            {
                StopIfAsked();
                token = Stopping; // an interruption observed elsewhere: keep waiting
            }
            catch (AggregateException e) when (e.InnerException is { } inner)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            }
        }
        buffer.AsSpan(0, read.Result).CopyTo(into);
        return read.Result;
    }

    /// <summary>Waits until a host descriptor that is not a regular file (a pipe, a device) has data, or the store must stop.</summary>
    void WaitReadable(HostDescriptor h)
    {
        if (h.Type is FileType.RegularFile || store is null) return;
        while (!Files.Readable(h.Fd, StopCheck)) StopIfAsked();
    }

    /// <summary>Waits until a blocking socket has data (or a peer's end), or the store must stop.</summary>
    void WaitReadable(Socket socket)
    {
        if (!socket.Blocking || store is null) return;
        while (!socket.Poll(StopCheck, SelectMode.SelectRead)) StopIfAsked();
    }
}
