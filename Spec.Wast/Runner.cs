using System.Collections.Immutable;
using System.Text;
using Spec.Syntax;

namespace Spec.Wast;

/// <summary>The static phases a script's modules go through before any engine sees them. A phase that is
/// null is not available, and the commands that need it are skipped rather than guessed. <see cref="ValidateCustom"/>
/// checks what custom sections and annotations say about a valid module (assert_invalid_custom).</summary>
internal sealed record Frontend(Func<byte[], Module>? ParseText, Func<byte[], Module>? Decode, Action<Module>? Validate,
    Action<Module>? ValidateCustom = null);

/// <summary>Runs the commands of one script in order (the spec interpreter's README, "Scripts"), keeping the
/// registry of named instances. Each command is counted once: passed, failed (with its phase) or skipped.
/// A (thread ...) runs its commands on a host thread of its own with a runner of its own: its own engine (so its own
/// store), registry and instances, starting from the instances it names as shared (the threads proposal's interpreter).
/// <paramref name="threads"/> says how threads get their engines and when the script's time is up; without it threads are skipped.</summary>
internal sealed class ScriptRunner(Frontend frontend, IScriptEngine? engine, ScriptThreads? threads = null)
{
    /// <summary>A phase or the engine the command needs is missing.</summary>
    sealed class Unavailable : Exception;

    /// <summary>The command failed; <see cref="Phase"/> says where.</summary>
    sealed class CommandFailed(Phase phase, string message, WasmException? cause = null) : Exception(message)
    {
        public Phase Phase { get; } = phase;
        /// <summary>The user error that failed the phase; null for a crash or a failed expectation.</summary>
        public WasmException? Cause { get; } = cause;
    }

    readonly Dictionary<string, IScriptInstance> registry = new(StringComparer.Ordinal);
    /// <summary>The instance of each module name, "" standing for the current module.</summary>
    readonly Dictionary<string, IScriptInstance> instances = new(StringComparer.Ordinal);
    /// <summary>Why a module name has no instance: its command failed (the reason), or was skipped (null).</summary>
    readonly Dictionary<string, string?> missing = new(StringComparer.Ordinal);
    readonly Dictionary<string, Module> definitions = new(StringComparer.Ordinal);
    Module? lastDefinition;
    /// <summary>The threads this runner started, by name.</summary>
    readonly Dictionary<string, Thread> started = new(StringComparer.Ordinal);
    /// <summary>The instances a thread shares with the one that started it, by name: actions on them are refused.</summary>
    readonly Dictionary<string, IScriptInstance> sharedInstances = new(StringComparer.Ordinal);
    /// <summary>Where this runner counts its commands (a thread's runner counts into its script's).</summary>
    FileResult? result;

    public FileResult Run(Script script, string file)
    {
        var fileResult = new FileResult(file);
        RunThread(script.Commands, fileResult);
        return fileResult;
    }

    /// <summary>Runs <paramref name="commands"/> in order, counting each in <paramref name="into"/>.</summary>
    void Run(ImmutableArray<Command> commands, FileResult into)
    {
        result = into;
        if (engine is not null) registry["spectest"] = engine.Spectest();
        foreach (var command in commands)
        {
            try
            {
                Run(command);
                result.Pass(command.Line, command.Kind);
            }
            catch (Unavailable)
            {
                result.Skip(command.Kind);
            }
            catch (CommandFailed f)
            {
                result.Fail(command.Line, command.Kind, f.Phase, f.Message);
            }
            catch (Exception e)
            {
                // A crash of the runner or an engine outside any phase: one failed command, not a lost run.
                result.Fail(command.Line, command.Kind, Phase.Execute, $"internal error: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    void Run(Command command)
    {
        switch (command)
        {
            case ModuleCommand c: RunModule(c); break;
            case ModuleInstanceCommand c: RunModuleInstance(c); break;
            case RegisterCommand c: Register(c); break;
            case ActionCommand c: Perform(c.Action); break;
            case AssertReturn c: AssertReturn(c); break;
            case AssertTrap c: AssertTrap(c); break;
            case AssertExhaustion c: ExpectAbort(c.Action, AbortKind.Exhaustion, c.Message); break;
            case AssertException c: ExpectAbort(c.Action, AbortKind.Exception, null); break;
            case AssertModule c: AssertModule(c); break;
            case ThreadCommand c: StartThread(c); break;
            case WaitCommand c: WaitFor(c); break;
            default: throw new CommandFailed(Phase.Parse, $"unknown command {command.Kind}");
        }
    }

    // ---- Threads ----

    /// <summary>(thread $id (shared (module $m))* cmd*): starts a host thread running the commands with a runner of its own.</summary>
    void StartThread(ThreadCommand c)
    {
        if (threads is null || engine is null) throw new Unavailable();
        if (started.ContainsKey(c.Id)) throw new CommandFailed(Phase.Execute, $"duplicate thread ${c.Id}");
        var shared = c.SharedModules.Select(name => (name, instance: InstanceOf(name))).ToList();
        if (!threads.TryStart()) throw new CommandFailed(Phase.Execute, $"thread limit reached: a script may start at most {threads.Max} threads");
        var child = new ScriptRunner(frontend, threads.NewEngine(), threads);
        foreach (var (name, instance) in shared)
        {
            child.instances[name] = instance;
            child.sharedInstances[name] = instance;
        }
        var into = result!;
        var thread = new Thread(() =>
        {
            try { child.RunThread(c.Commands, into); }
            // What no command caught (the thread's spectest could not be made): the thread's failure, not the process's.
            catch (Exception e) { into.Fail(c.Line, c.Kind, Phase.Execute, $"thread ${c.Id} stopped: {e.GetType().Name}: {e.Message}"); }
        }, ScriptThreads.StackSize) { IsBackground = true, Name = $"wast thread ${c.Id}" };
        started[c.Id] = thread;
        thread.Start();
    }

    /// <summary>A script's or a thread's commands, then the threads it started and never waited for: their commands still
    /// count, so they finish (or meet the deadline) before the result is given.</summary>
    void RunThread(ImmutableArray<Command> commands, FileResult into)
    {
        Run(commands, into);
        foreach (var thread in started.Values) Join(thread);
    }

    /// <summary>(wait $id): blocks until the thread has run all its commands; fails when the script's deadline passes first.</summary>
    void WaitFor(WaitCommand c)
    {
        if (threads is null || engine is null) throw new Unavailable();
        if (!started.TryGetValue(c.Id, out var thread)) throw new CommandFailed(Phase.Execute, $"unknown thread ${c.Id}");
        if (!Join(thread)) throw new CommandFailed(Phase.Execute, $"deadline exceeded: thread ${c.Id} still running");
    }

    /// <summary>Joins <paramref name="thread"/> within the script's time left (a little more, for its store to notice the deadline); false if it is still running.</summary>
    bool Join(Thread thread)
    {
        if (threads?.Left() is { } left) return thread.Join(left + ScriptThreads.Grace);
        thread.Join();
        return true;
    }

    // ---- Modules ----

    void RunModule(ModuleCommand c)
    {
        try
        {
            var module = Load(c.Module);
            Validate(module);
            // Every named module is also a definition that (module instance) can instantiate again.
            if (c.Id is not null) definitions[c.Id] = module;
            lastDefinition = module;
            if (c.IsDefinition) return;
            // Without an engine a module command checks what can be checked: that it parses and validates.
            if (engine is null) return;
            Instantiated(c.Id, Instantiate(module));
        }
        catch (CommandFailed) when (!c.IsDefinition)
        {
            NoInstance(c.Id, $"module at line {c.Line} failed");
            throw;
        }
        catch (Unavailable) when (!c.IsDefinition)
        {
            NoInstance(c.Id, null);
            throw;
        }
    }

    void RunModuleInstance(ModuleInstanceCommand c)
    {
        if (engine is null) throw new Unavailable();
        // Without a definition name, the most recent module is meant.
        var module = c.DefinitionId is null ? lastDefinition : definitions.GetValueOrDefault(c.DefinitionId);
        if (module is null) throw new CommandFailed(Phase.Link, $"unknown module definition {c.DefinitionId}");
        Instantiated(c.InstanceId, Instantiate(module));
    }

    void Instantiated(string? id, IScriptInstance instance)
    {
        foreach (var key in Keys(id))
        {
            instances[key] = instance;
            missing.Remove(key);
        }
    }

    /// <summary>A module command did not produce an instance: actions on it fail (with the reason) or are skipped (null).</summary>
    void NoInstance(string? id, string? reason)
    {
        foreach (var key in Keys(id))
        {
            instances.Remove(key);
            missing[key] = reason;
        }
    }

    static IEnumerable<string> Keys(string? id) => id is null ? [""] : ["", id];

    void Register(RegisterCommand c)
    {
        if (engine is null) throw new Unavailable();
        registry[c.Name] = InstanceOf(c.Id);
    }

    /// <summary>Parses or decodes a module as the script gives it.</summary>
    Module Load(ModuleSource source)
    {
        var (phase, load) = source switch
        {
            BinaryModule b => (Phase.Decode, frontend.Decode is { } decode ? () => decode(b.Bytes.ToArray()) : (Func<Module>?)null),
            TextModule t => (Phase.Parse, frontend.ParseText is { } parse ? () => parse(Encoding.UTF8.GetBytes(t.Source)) : null),
            QuoteModule q => (Phase.Parse, frontend.ParseText is { } parse ? () => parse(q.Source.ToArray()) : null),
            _ => (Phase.Parse, null),
        };
        if (load is null) throw new Unavailable();
        return Guard(phase, load);
    }

    void Validate(Module module)
    {
        if (frontend.Validate is { } validate) Guard(Phase.Validate, () => { validate(module); return 0; });
    }

    IScriptInstance Instantiate(Module module) =>
        Guard(Phase.Instantiate, () => engine!.Instantiate(module, registry));

    /// <summary>Runs one phase: a user error becomes a failure of its own phase, a crash a failure of this one.</summary>
    static T Guard<T>(Phase phase, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (WasmException e)
        {
            throw new CommandFailed(e.Phase, e.Message, e);
        }
        catch (Exception e) when (e is not Unavailable and not CommandFailed)
        {
            throw new CommandFailed(phase, $"internal error: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Runs a module that an assertion expects to be rejected; returns the error, or null when accepted.</summary>
    static WasmException? Rejection(Func<object?> run)
    {
        try
        {
            run();
            return null;
        }
        catch (CommandFailed f) when (f.Cause is not null)
        {
            return f.Cause;
        }
    }

    void AssertModule(AssertModule c)
    {
        switch (c.Keyword)
        {
            case "assert_malformed":
            {
                // Malformed modules must be rejected by the parser or decoder; the message is not compared.
                var error = Rejection(() => Load(c.Module));
                if (error is null)
                    throw new CommandFailed(LoadPhase(c.Module), $"module accepted, expected \"{c.Message}\"");
                if (error.Phase is not (Phase.Parse or Phase.Decode))
                    throw new CommandFailed(error.Phase, $"rejected by {JsonReport.PhaseName(error.Phase)}, not as malformed: {error.Message}");
                return;
            }
            case "assert_malformed_custom":
            {
                // A custom section or annotation is malformed: the parser or decoder rejects it, with the expected message.
                var error = Rejection(() => Load(c.Module));
                ExpectRejection(error, LoadPhase(c.Module), c.Message, Phase.Parse, Phase.Decode);
                return;
            }
            case "assert_invalid_custom":
            {
                // The module is well-formed and valid, but what a custom section or annotation says about it is not.
                var module = Load(c.Module);
                Validate(module);
                if (frontend.ValidateCustom is not { } check) throw new Unavailable();
                var error = Rejection(() => Guard(Phase.Validate, () => { check(module); return 0; }));
                ExpectRejection(error, Phase.Validate, c.Message);
                return;
            }
            case "assert_invalid":
            {
                var module = Load(c.Module);
                if (frontend.Validate is null) throw new Unavailable();
                var error = Rejection(() => { Validate(module); return null; });
                ExpectRejection(error, Phase.Validate, c.Message);
                return;
            }
            case "assert_unlinkable":
            case "assert_uninstantiable":
            {
                var module = Load(c.Module);
                Validate(module);
                if (engine is null) throw new Unavailable();
                var error = Rejection(() => Instantiate(module));
                if (c.Keyword == "assert_unlinkable") ExpectRejection(error, Phase.Link, c.Message);
                else ExpectTrapAtInstantiation(error, c.Message);
                return;
            }
            default:
                throw new CommandFailed(Phase.Parse, $"unknown assertion {c.Keyword}");
        }
    }

    static Phase LoadPhase(ModuleSource m) => m is BinaryModule ? Phase.Decode : Phase.Parse;

    /// <summary>The module must be rejected in <paramref name="phase"/> (or one of <paramref name="alsoIn"/>) with a reason that starts with the expected message.</summary>
    static void ExpectRejection(WasmException? error, Phase phase, string message, params Phase[] alsoIn)
    {
        if (error is null) throw new CommandFailed(phase, $"module accepted, expected \"{message}\"");
        if (error.Phase != phase && !alsoIn.Contains(error.Phase)) throw new CommandFailed(error.Phase, $"expected {JsonReport.PhaseName(phase)} error \"{message}\", got: {error.Message}");
        if (!MessageMatches(error.Reason, message)) throw new CommandFailed(phase, $"expected \"{message}\", got: {error.Message}");
    }

    static void ExpectTrapAtInstantiation(WasmException? error, string message)
    {
        if (error is null) throw new CommandFailed(Phase.Instantiate, $"instantiation succeeded, expected trap \"{message}\"");
        if (error.Phase is not (Phase.Instantiate or Phase.Execute) || error is AbortException { Kind: not AbortKind.Trap })
            throw new CommandFailed(error.Phase, $"expected trap \"{message}\", got: {error.Message}");
        if (!MessageMatches(error.Reason, message)) throw new CommandFailed(Phase.Instantiate, $"expected trap \"{message}\", got: {error.Message}");
    }

    /// <summary>As the spec interpreter compares: the expected text is a prefix of the error's reason.</summary>
    static bool MessageMatches(string reason, string expected) => reason.StartsWith(expected, StringComparison.Ordinal);

    // ---- Actions ----

    IScriptInstance InstanceOf(string? id)
    {
        string key = id ?? "";
        if (instances.TryGetValue(key, out var instance)) return instance;
        if (missing.TryGetValue(key, out var reason)) throw reason is null ? new Unavailable() : new CommandFailed(Phase.Instantiate, reason);
        throw new CommandFailed(Phase.Instantiate, id is null ? "no current module" : $"unknown module ${id}");
    }

    /// <summary>The instance an action runs on. A shared instance belongs to another thread's store, which is not
    /// this thread's to run: its memories are imported, its functions are not invoked from here.</summary>
    IScriptInstance ActionInstance(Action action)
    {
        // A name the thread has since bound to a module of its own is its own.
        if (action.ModuleId is { } id && sharedInstances.TryGetValue(id, out var shared) && ReferenceEquals(instances.GetValueOrDefault(id), shared))
            throw new CommandFailed(Phase.Execute, $"${id} is shared from another thread: its exports are imported here, not invoked");
        return InstanceOf(action.ModuleId);
    }

    ImmutableArray<Arg> Perform(Action action)
    {
        if (engine is null) throw new Unavailable();
        var instance = ActionInstance(action);
        return action switch
        {
            Invoke i => Guard(Phase.Execute, () => instance.Invoke(i.Name, i.Args)),
            Get g => [Guard(Phase.Execute, () => instance.Get(g.Name))],
            _ => throw new CommandFailed(Phase.Execute, "unknown action"),
        };
    }

    void AssertReturn(AssertReturn c)
    {
        var results = Perform(c.Action);
        if (results.Length != c.Results.Length || !results.Zip(c.Results).All(p => Patterns.Matches(p.Second, p.First)))
            throw new CommandFailed(Phase.Execute,
                $"result [{string.Join(' ', results.Select(Patterns.Show))}], expected [{string.Join(' ', c.Results.Select(Patterns.Show))}]");
    }

    void AssertTrap(AssertTrap c)
    {
        if (c.Action is { } action)
        {
            ExpectAbort(action, AbortKind.Trap, c.Message);
            return;
        }
        var module = Load(c.Module!);
        Validate(module);
        if (engine is null) throw new Unavailable();
        ExpectTrapAtInstantiation(Rejection(() => Instantiate(module)), c.Message);
    }

    /// <summary>The action must end abnormally in the given way (with a message starting as expected, if given).</summary>
    void ExpectAbort(Action action, AbortKind kind, string? message)
    {
        if (engine is null) throw new Unavailable();
        var instance = ActionInstance(action);
        try
        {
            var results = action is Invoke i ? instance.Invoke(i.Name, i.Args) : [instance.Get(action.Name)];
            throw new CommandFailed(Phase.Execute,
                $"returned [{string.Join(' ', results.Select(Patterns.Show))}], expected {kind.ToString().ToLowerInvariant()}{(message is null ? "" : $" \"{message}\"")}");
        }
        catch (WasmException e)
        {
            var actual = e is AbortException a ? a.Kind : AbortKind.Trap;
            if (e.Phase != Phase.Execute || actual != kind)
                throw new CommandFailed(e.Phase, $"expected {kind.ToString().ToLowerInvariant()}, got: {e.Message}");
            if (message is not null && !MessageMatches(e.Reason, message))
                throw new CommandFailed(Phase.Execute, $"expected \"{message}\", got: {e.Message}");
        }
        catch (Exception e) when (e is not CommandFailed)
        {
            throw new CommandFailed(Phase.Execute, $"internal error: {e.GetType().Name}: {e.Message}");
        }
    }
}
