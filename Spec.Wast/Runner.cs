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
/// registry of named instances. Each command is counted once: passed, failed (with its phase) or skipped.</summary>
internal sealed class ScriptRunner(Frontend frontend, IScriptEngine? engine)
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

    public FileResult Run(Script script, string file)
    {
        var result = new FileResult(file);
        if (engine is not null) registry["spectest"] = engine.Spectest();
        foreach (var command in script.Commands)
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
        return result;
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
            // Threads run concurrently; no engine here runs them yet.
            case ThreadCommand or WaitCommand: throw new Unavailable();
            default: throw new CommandFailed(Phase.Parse, $"unknown command {command.Kind}");
        }
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

    ImmutableArray<Arg> Perform(Action action)
    {
        if (engine is null) throw new Unavailable();
        var instance = InstanceOf(action.ModuleId);
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
        var instance = InstanceOf(action.ModuleId);
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
