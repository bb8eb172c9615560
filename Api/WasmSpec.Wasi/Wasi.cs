using System.Collections;
using Spec.Execution;
using Spec.Wasi;

namespace WasmSpec.Wasi;

// WASI preview1 for the embedding API: what the guest is given (a configuration, built step by step), and the
// linker's definitions of the `wasi_snapshot_preview1` functions. Each store gets its own WASI context (descriptors,
// streams) the first time a module of it imports WASI; it is disposed with the store.

/// <summary>
/// What a WASI program is given; nothing else of the host reaches it.
/// <code>
/// var wasi = new WasiConfiguration().WithArgs("app", "--fast").WithEnvironmentVariable("HOME", "/")
///     .WithPreopenedDirectory("data", "/data", readOnly: true).WithStdout(buffer);
/// </code>
/// </summary>
public sealed class WasiConfiguration
{
    readonly List<string> args = [];
    readonly List<string> env = [];
    readonly List<WasiPreopen> preopens = [];
    Stream? stdin, stdout, stderr;
    int maxDescriptors = WasiOptions.DefaultMaxDescriptors;

    /// <summary>The program's arguments, its name first by convention.</summary>
    public WasiConfiguration WithArgs(params string[] values) { args.AddRange(values); return this; }

    /// <summary>This process's arguments (its command line).</summary>
    public WasiConfiguration WithInheritedArgs() => WithArgs(Environment.GetCommandLineArgs());

    public WasiConfiguration WithEnvironmentVariable(string name, string value)
    {
        if (name.Contains('=')) throw new ArgumentException($"an environment variable's name cannot contain '=': {name}", nameof(name));
        env.Add($"{name}={value}");
        return this;
    }

    /// <summary>Every environment variable of this process.</summary>
    public WasiConfiguration WithInheritedEnvironment()
    {
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) env.Add($"{e.Key}={e.Value}");
        return this;
    }

    /// <summary>The host directory <paramref name="hostPath"/>, seen by the program as <paramref name="guestPath"/>; read-only if asked.</summary>
    public WasiConfiguration WithPreopenedDirectory(string hostPath, string guestPath, bool readOnly = false)
    {
        if (!Directory.Exists(hostPath)) throw new DirectoryNotFoundException($"cannot preopen {hostPath}: no such directory");
        preopens.Add(new WasiPreopen(hostPath, guestPath, readOnly));
        return this;
    }

    /// <summary>Standard input read from <paramref name="stream"/> (default: empty).</summary>
    public WasiConfiguration WithStdin(Stream stream) { stdin = stream; return this; }

    /// <summary>Standard output written to <paramref name="stream"/> (default: discarded); a <see cref="MemoryStream"/> captures it.</summary>
    public WasiConfiguration WithStdout(Stream stream) { stdout = stream; return this; }

    /// <summary>Standard error written to <paramref name="stream"/> (default: discarded).</summary>
    public WasiConfiguration WithStderr(Stream stream) { stderr = stream; return this; }

    /// <summary>This process's standard input, output and error.</summary>
    public WasiConfiguration WithInheritedStandardStreams() =>
        WithStdin(Console.OpenStandardInput()).WithStdout(Console.OpenStandardOutput()).WithStderr(Console.OpenStandardError());

    /// <summary>How many descriptors the program may hold open at once (default 1024).</summary>
    public WasiConfiguration WithMaxDescriptors(int count) { maxDescriptors = count; return this; }

    internal WasiOptions Options => new()
    {
        Args = [.. args], Env = [.. env], Preopens = [.. preopens],
        Stdin = stdin, Stdout = stdout, Stderr = stderr, MaxDescriptors = maxDescriptors,
    };
}

/// <summary>The program called <c>proc_exit</c>: <see cref="Code"/> is its exit status. Not an error when the code is 0.</summary>
public sealed class ExitException(int code) : WasmError($"the program exited with status {code}")
{
    public int Code { get; } = code;
}

/// <summary>Defining WASI in a linker.</summary>
public static class WasiLinker
{
    /// <summary>The module name WASI preview1's functions are imported from.</summary>
    public const string ModuleName = WasiHost.ModuleName;

    /// <summary>
    /// Defines every <c>wasi_snapshot_preview1</c> function, giving programs what <paramref name="configuration"/> says.
    /// The program's memory is the importing instance's export "memory". <c>proc_exit</c> ends the call with an <see cref="ExitException"/>.
    /// </summary>
    public static void DefineWasi(this Linker linker, WasiConfiguration configuration)
    {
        var options = configuration.Options;
        var key = new object();
        foreach (var name in WasiHost.FunctionNames)
        {
            var type = FunctionType.Of(WasiHost.TypeOf(name));
            linker.Add(ModuleName, name, new Linker.Definition(type, (store, caller) =>
            {
                Context context;
                try { context = store.Attached(key, () => new Context(new WasiHost(options))); }
                catch (IOException e) { throw new LinkError($"WASI: {e.Message}", inner: e); }
                var f = (ExternVal.Func)context.Host.Resolver(store.Runtime)(ModuleName, name)!;
                var code = f.Inst.Host!;
                return new ExternVal.Func(Embedding.AllocFunc(store.Runtime, WasiHost.TypeOf(name), args =>
                {
                    // The memory is the calling instance's; instances of one store share the rest of the context.
                    if (caller.Inner is { } instance && context.Bound != instance) context.Host.Bind(context.Bound = instance);
                    try { return code(args); }
                    catch (WasiExitException e) { throw new ExitException(e.Code); }
                }));
            }));
        }
    }

    /// <summary>A store's WASI context, and the instance whose memory it uses now.</summary>
    sealed class Context(WasiHost host) : IDisposable
    {
        public WasiHost Host { get; } = host;
        public ModuleInstance? Bound;
        public void Dispose() => Host.Dispose();
    }
}
