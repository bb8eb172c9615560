using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.Wast;

// The script format of the testsuite (the spec interpreter's README, "Scripts"): the AST that the
// WAST parser produces and the runner executes. Every command carries its line in the .wast file.

public sealed record Script(string File, ImmutableArray<Command> Commands);

/// <summary>A module as the script gives it. Text modules are kept as source and parsed when run,
/// so that a module the text parser rejects is one failing command, not an unreadable script.</summary>
public abstract record ModuleSource(int Line);

/// <summary>(module $id? ...): the exact source of the whole (module ...) form.</summary>
public sealed record TextModule(int Line, string Source) : ModuleSource(Line);

/// <summary>(module $id? binary "..."*): the concatenated bytes.</summary>
public sealed record BinaryModule(int Line, ImmutableArray<byte> Bytes) : ModuleSource(Line)
{
    public bool Equals(BinaryModule? o) => o is not null && Line == o.Line && Sequences.Equal(Bytes, o.Bytes);
    public override int GetHashCode() => HashCode.Combine(Line, Sequences.Hash(Bytes));
}

/// <summary>(module $id? quote "..."*): the concatenated bytes of the strings, the UTF-8 text of a module.
/// Kept as bytes: a malformed encoding is the text parser's to report.</summary>
public sealed record QuoteModule(int Line, ImmutableArray<byte> Source) : ModuleSource(Line)
{
    public bool Equals(QuoteModule? o) => o is not null && Line == o.Line && Sequences.Equal(Source, o.Source);
    public override int GetHashCode() => HashCode.Combine(Line, Sequences.Hash(Source));
}

public abstract record Command(int Line)
{
    /// <summary>The command's keyword, as wast-run reports it (module, assert_return, ...).</summary>
    public abstract string Kind { get; }
}

/// <summary>(module $id? ...) instantiates; (module definition $id? ...) only defines.</summary>
public sealed record ModuleCommand(int Line, string? Id, ModuleSource Module, bool IsDefinition) : Command(Line)
{
    public override string Kind => "module";
}

/// <summary>(module instance $instance? $definition?)</summary>
public sealed record ModuleInstanceCommand(int Line, string? InstanceId, string? DefinitionId) : Command(Line)
{
    public override string Kind => "module";
}

/// <summary>(register "name" $id?)</summary>
public sealed record RegisterCommand(int Line, string Name, string? Id) : Command(Line)
{
    public override string Kind => "register";
}

/// <summary>A bare (invoke ...) or (get ...) at the top level.</summary>
public sealed record ActionCommand(int Line, Action Action) : Command(Line)
{
    public override string Kind => Action is Invoke ? "invoke" : "get";
}

public sealed record AssertReturn(int Line, Action Action, ImmutableArray<ResultPattern> Results) : Command(Line)
{
    public override string Kind => "assert_return";
}

/// <summary>(assert_trap action "msg") or (assert_trap module "msg"), the latter a trap during instantiation.</summary>
public sealed record AssertTrap(int Line, Action? Action, ModuleSource? Module, string Message) : Command(Line)
{
    public override string Kind => "assert_trap";
}

public sealed record AssertExhaustion(int Line, Action Action, string Message) : Command(Line)
{
    public override string Kind => "assert_exhaustion";
}

public sealed record AssertException(int Line, Action Action) : Command(Line)
{
    public override string Kind => "assert_exception";
}

/// <summary>The module assertions: assert_invalid, assert_malformed, assert_unlinkable,
/// assert_uninstantiable and the custom-section variants assert_malformed_custom / assert_invalid_custom.</summary>
public sealed record AssertModule(int Line, string Keyword, ModuleSource Module, string Message) : Command(Line)
{
    public override string Kind => Keyword;
}

/// <summary>(thread $id (shared (module $m))* command*) of the threads proposal.</summary>
public sealed record ThreadCommand(int Line, string Id, ImmutableArray<string> SharedModules, ImmutableArray<Command> Commands) : Command(Line)
{
    public override string Kind => "thread";
}

public sealed record WaitCommand(int Line, string Id) : Command(Line)
{
    public override string Kind => "wait";
}

// ---- Actions ----

public abstract record Action(int Line, string? ModuleId, string Name);

public sealed record Invoke(int Line, string? ModuleId, string Name, ImmutableArray<Arg> Args) : Action(Line, ModuleId, Name)
{
    public bool Equals(Invoke? o) => o is not null && Line == o.Line && ModuleId == o.ModuleId && Name == o.Name && Sequences.Equal(Args, o.Args);
    public override int GetHashCode() => HashCode.Combine(Line, ModuleId, Name, Sequences.Hash(Args));
}

public sealed record Get(int Line, string? ModuleId, string Name) : Action(Line, ModuleId, Name);

// ---- Argument values: (i32.const 1), (v128.const i32x4 ...), (ref.null func), (ref.extern 1), (ref.host 1) ----

public abstract record Arg;
public sealed record NumArg(NumType Type, ulong Bits) : Arg;
public sealed record VecArg(V128 Value) : Arg;
public sealed record RefNullArg(HeapType Type) : Arg;
public sealed record RefExternArg(uint Host) : Arg;
public sealed record RefHostArg(uint Host) : Arg;

/// <summary>A non-null reference that only an engine returns, by its most specific abstract heap type
/// (func, exn, i31, struct, array, extern, or any for other host references).</summary>
public sealed record RefArg(AbsHeapType Kind) : Arg;

// ---- Result patterns of assert_return ----

public abstract record ResultPattern;

/// <summary>A number, compared bit for bit.</summary>
public sealed record NumPattern(NumType Type, ulong Bits) : ResultPattern;

public enum NanKind : byte { Canonical, Arithmetic }

/// <summary>nan:canonical or nan:arithmetic for a float type.</summary>
public sealed record NanPattern(NumType Type, NanKind Kind) : ResultPattern;

/// <summary>One lane of a v128 pattern: its bits, or a NaN kind for float lanes.</summary>
public readonly record struct LanePattern(ulong Bits, NanKind? Nan);

/// <summary>(v128.const shape lane*) where lanes may be NaN patterns.</summary>
public sealed record VecPattern(Shape Shape, ImmutableArray<LanePattern> Lanes) : ResultPattern
{
    public bool Equals(VecPattern? o) => o is not null && Shape == o.Shape && Sequences.Equal(Lanes, o.Lanes);
    public override int GetHashCode() => HashCode.Combine(Shape, Sequences.Hash(Lanes));
}

/// <summary>(ref.null ht?) : a null of any type when no heap type is given.</summary>
public sealed record RefNullPattern(HeapType? Type) : ResultPattern;

/// <summary>(ref.extern N) / (ref.extern): an external reference (to host value N, if given).</summary>
public sealed record RefExternPattern(uint? Host) : ResultPattern;

/// <summary>(ref.host N)</summary>
public sealed record RefHostPattern(uint? Host) : ResultPattern;

/// <summary>(ref.func), (ref.struct), (ref.array), (ref.i31), (ref.eq), (ref.any), (ref.exn): any non-null reference of that kind.</summary>
public sealed record RefKindPattern(AbsHeapType Kind) : ResultPattern;

/// <summary>(either p1 p2 ...): one of the alternatives.</summary>
public sealed record EitherPattern(ImmutableArray<ResultPattern> Alternatives) : ResultPattern
{
    public bool Equals(EitherPattern? o) => o is not null && Sequences.Equal(Alternatives, o.Alternatives);
    public override int GetHashCode() => Sequences.Hash(Alternatives);
}
