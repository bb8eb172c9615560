using System.Collections.Immutable;
using System.Text;
using Spec.Syntax;
using Spec.TextFormat;

namespace Spec.Wast;

// The script grammar of the spec interpreter's README ("Scripts") and its extensions in the testsuite:
// module definitions and instances, the custom-annotation assertions, and threads. Text modules are not parsed
// here: a (module ...) form is kept as its exact source, to be parsed when its command runs.

internal static class WastParser
{
    public static Script Parse(string file, string text) => Parse(file, Encoding.UTF8.GetBytes(text));

    /// <summary>Parses a script from its UTF-8 bytes; throws a <see cref="ParseException"/> for a malformed script.</summary>
    public static Script Parse(string file, byte[] source)
    {
        var forms = SExprReader.Read(source);
        // A file of module fields is one inline module (§6.6.13: a module may be given by its fields alone).
        if (forms is [SList { Head: { } head } first, ..] && IsModuleField(head))
            return new Script(file, [new ModuleCommand(first.Line, null, new TextModule(first.Line, Source(source, 0, source.Length)), false)]);
        var commands = ImmutableArray.CreateBuilder<Command>();
        foreach (var form in forms)
            commands.Add(Command(source, List(form, "command")));
        return new Script(file, commands.ToImmutable());
    }

    static bool IsModuleField(string head) =>
        head is "type" or "rec" or "import" or "func" or "table" or "memory" or "global" or "export" or "start"
            or "elem" or "data" or "tag";

    static Command Command(byte[] text, SList form) => form.Head switch
    {
        "module" => Module(text, form),
        "register" => Register(form),
        "invoke" or "get" => new ActionCommand(form.Line, Action(form)),
        "assert_return" => new AssertReturn(form.Line, Action(List(Item(form, 1), "action")), [.. form.Items.Skip(2).Select(Result)]),
        "assert_trap" => AssertTrap(text, form),
        "assert_exhaustion" => new AssertExhaustion(form.Line, Action(List(Item(form, 1), "action")), String(Item(form, 2), form.Items.Length, 3)),
        "assert_exception" => new AssertException(form.Line, Action(List(Item(form, 1), "action"))),
        "assert_invalid" or "assert_malformed" or "assert_unlinkable" or "assert_uninstantiable"
            or "assert_malformed_custom" or "assert_invalid_custom" =>
            new AssertModule(form.Line, form.Head!, ModuleSource(text, List(Item(form, 1), "module")), String(Item(form, 2), form.Items.Length, 3)),
        "thread" => Thread(text, form),
        "wait" => new WaitCommand(form.Line, Id(Item(form, 1)) ?? throw Error(form, "thread name expected")),
        _ => throw Error(form, $"unknown command {form.Head ?? "form"}"),
    };

    // ---- Modules ----

    /// <summary>(module $id? ...), (module definition $id? ...), (module instance $instance? $definition?)</summary>
    static Command Module(byte[] text, SList form)
    {
        if (Keyword(form, 1) == "instance")
        {
            string? instance = Id(ItemOrNull(form, 2)), definition = Id(ItemOrNull(form, 3));
            if (form.Items.Length > 2 + (instance is null ? 0 : 1) + (definition is null ? 0 : 1))
                throw Error(form, "unexpected token in module instance");
            return new ModuleInstanceCommand(form.Line, instance, definition);
        }
        bool definitionOnly = Keyword(form, 1) == "definition";
        string? id = Id(ItemOrNull(form, definitionOnly ? 2 : 1));
        return new ModuleCommand(form.Line, id, ModuleSource(text, form), definitionOnly);
    }

    /// <summary>A module form as the script gives it: binary, quote, or text (kept as its source).</summary>
    static ModuleSource ModuleSource(byte[] text, SList form)
    {
        if (form.Head != "module") throw Error(form, "module expected");
        int i = 1;
        bool definition = Keyword(form, i) == "definition";
        if (definition) i++;
        if (ItemOrNull(form, i) is Atom { Kind: TokenKind.Id }) i++;
        switch (Keyword(form, i))
        {
            case "binary":
                return new BinaryModule(form.Line, [.. Strings(form, i + 1).SelectMany(s => s)]);
            case "quote":
                // The strings are the text of a module, possibly split anywhere (even inside a token).
                return new QuoteModule(form.Line, [.. Strings(form, i + 1).SelectMany(s => s)]);
            default:
                // The text parser reads (module $id? field*); "definition" is the script's, not the module's.
                string source = definition
                    ? Source(text, form.Start, form.Items[0].End) + Source(text, form.Items[1].End, form.End)
                    : Source(text, form.Start, form.End);
                return new TextModule(form.Line, source);
        }
    }

    static string Source(byte[] text, int start, int end) => Encoding.UTF8.GetString(text, start, end - start);

    static IEnumerable<byte[]> Strings(SList form, int from)
    {
        for (int i = from; i < form.Items.Length; i++)
            yield return form.Items[i] is Atom { Kind: TokenKind.String } s ? Tokens.StringBytes(s) : throw Error(form.Items[i], "string expected");
    }

    static RegisterCommand Register(SList form)
    {
        string? id = Id(ItemOrNull(form, 2));
        return new RegisterCommand(form.Line, String(Item(form, 1), form.Items.Length, id is null ? 2 : 3), id);
    }

    static AssertTrap AssertTrap(byte[] text, SList form)
    {
        var target = List(Item(form, 1), "action or module");
        string message = String(Item(form, 2), form.Items.Length, 3);
        return target.Head == "module"
            ? new AssertTrap(form.Line, null, ModuleSource(text, target), message)
            : new AssertTrap(form.Line, Action(target), null, message);
    }

    /// <summary>A thread being read: its form, the next item to read, and what it holds so far.</summary>
    sealed class OpenThread(SList form)
    {
        public SList Form { get; } = form;
        public string Id { get; } = WastParser.Id(Item(form, 1)) ?? throw Error(form, "thread name expected");
        public int Next = 2;
        public ImmutableArray<string>.Builder Shared { get; } = ImmutableArray.CreateBuilder<string>();
        public ImmutableArray<Command>.Builder Commands { get; } = ImmutableArray.CreateBuilder<Command>();
        public ThreadCommand Made => new(Form.Line, Id, Shared.ToImmutable(), Commands.ToImmutable());
    }

    /// <summary>(thread $id (shared (module $m))* command*): threads nest as deeply as the script does, so the open
    /// ones are kept on an explicit stack rather than read by recursion.</summary>
    static ThreadCommand Thread(byte[] text, SList form)
    {
        var open = new Stack<OpenThread>();
        open.Push(new OpenThread(form));
        while (true)
        {
            var t = open.Peek();
            if (t.Next == t.Form.Items.Length)
            {
                open.Pop();
                if (open.Count == 0) return t.Made;
                open.Peek().Commands.Add(t.Made);
                continue;
            }
            var list = List(t.Form.Items[t.Next++], "command");
            switch (list.Head)
            {
                case "shared":
                    var module = List(Item(list, 1), "(module $id)");
                    if (module.Head != "module" || Id(ItemOrNull(module, 1)) is not { } m) throw Error(list, "(module $id) expected");
                    t.Shared.Add(m);
                    break;
                case "thread": open.Push(new OpenThread(list)); break;
                default: t.Commands.Add(Command(text, list)); break;
            }
        }
    }

    // ---- Actions ----

    /// <summary>(invoke $id? "name" arg*) | (get $id? "name")</summary>
    static Action Action(SList form)
    {
        string? module = Id(ItemOrNull(form, 1));
        int i = module is null ? 1 : 2;
        switch (form.Head)
        {
            case "invoke":
                return new Invoke(form.Line, module, Name(Item(form, i)), [.. form.Items.Skip(i + 1).Select(Arg)]);
            case "get":
                return new Get(form.Line, module, String(Item(form, i), form.Items.Length, i + 1));
            default:
                throw Error(form, "action expected");
        }
    }

    static string Name(SExpr e) => e is Atom { Kind: TokenKind.String } s
        ? Tokens.Utf8(s) ?? throw Error(e, "malformed UTF-8 encoding")
        : throw Error(e, "string expected");

    /// <summary>A string, in a form that must have <paramref name="expectedLength"/> items.</summary>
    static string String(SExpr e, int formLength, int expectedLength) =>
        formLength == expectedLength ? Name(e) : throw Error(e, "unexpected token");

    // ---- Values ----

    static Arg Arg(SExpr e)
    {
        var form = List(e, "constant");
        switch (form.Head)
        {
            case "i32.const" or "i64.const" or "f32.const" or "f64.const":
            {
                var type = NumTypeOf(form.Head);
                return new NumArg(type, Number(type, Only(form)));
            }
            case "v128.const":
                return new VecArg(Vec(form, nanAllowed: false).Value);
            case "ref.null":
                return new RefNullArg(HeapType(Only(form)));
            case "ref.extern":
                return new RefExternArg(U32(Only(form)));
            case "ref.host":
                return new RefHostArg(U32(Only(form)));
            default:
                throw Error(form, $"unknown constant {form.Head}");
        }
    }

    /// <summary>A result pattern; (either p1 p2 ...) nests as deeply as the script does, so the open ones are kept on an
    /// explicit stack, each with the index of its next alternative.</summary>
    static ResultPattern Result(SExpr e)
    {
        var open = new Stack<(SList Form, ImmutableArray<ResultPattern>.Builder Alternatives)>();
        SExpr? next = e;
        while (true)
        {
            ResultPattern done;
            if (next is not null)
            {
                var form = List(next, "result");
                next = null;
                if (form.Head == "either")
                {
                    if (form.Items.Length < 2) throw Error(form, "result expected");
                    open.Push((form, ImmutableArray.CreateBuilder<ResultPattern>(form.Items.Length - 1)));
                    next = form.Items[1];
                    continue;
                }
                done = SingleResult(form);
            }
            else
            {
                done = new EitherPattern(open.Pop().Alternatives.MoveToImmutable());
            }
            if (open.Count == 0) return done;
            var (outer, alts) = open.Peek();
            alts.Add(done);
            if (alts.Count < outer.Items.Length - 1) next = outer.Items[alts.Count + 1];
        }
    }

    /// <summary>A result pattern other than (either ...).</summary>
    static ResultPattern SingleResult(SList form)
    {
        switch (form.Head)
        {
            case "i32.const" or "i64.const":
                return new NumPattern(NumTypeOf(form.Head), Number(NumTypeOf(form.Head), Only(form)));
            case "f32.const" or "f64.const":
            {
                var type = NumTypeOf(form.Head);
                var lit = Only(form);
                return NanKindOf(lit) is { } nan ? new NanPattern(type, nan) : new NumPattern(type, Number(type, lit));
            }
            case "v128.const":
            {
                var (shape, lanes, _) = Vec(form, nanAllowed: true);
                return new VecPattern(shape, lanes);
            }
            case "ref.null":
                return new RefNullPattern(form.Items.Length == 1 ? null : HeapType(Only(form)));
            case "ref.extern":
                return new RefExternPattern(form.Items.Length == 1 ? null : U32(Only(form)));
            case "ref.host":
                return new RefHostPattern(form.Items.Length == 1 ? null : U32(Only(form)));
            case "ref.func" or "ref.struct" or "ref.array" or "ref.i31" or "ref.eq" or "ref.any" or "ref.exn":
                if (form.Items.Length != 1) throw Error(form.Items[1], "unexpected token");
                return new RefKindPattern(form.Head switch
                {
                    "ref.func" => AbsHeapType.Func, "ref.struct" => AbsHeapType.Struct, "ref.array" => AbsHeapType.Array,
                    "ref.i31" => AbsHeapType.I31, "ref.eq" => AbsHeapType.Eq, "ref.any" => AbsHeapType.Any, _ => AbsHeapType.Exn,
                });
            default:
                throw Error(form, $"unknown result {form.Head}");
        }
    }

    static NumType NumTypeOf(string head) => head[..3] switch
    {
        "i32" => NumType.I32, "i64" => NumType.I64, "f32" => NumType.F32, _ => NumType.F64,
    };

    static NanKind? NanKindOf(SExpr e) => e is Atom { Kind: TokenKind.Keyword } a
        ? a.Text switch { "nan:canonical" => NanKind.Canonical, "nan:arithmetic" => NanKind.Arithmetic, _ => null }
        : null;

    /// <summary>(v128.const shape lane*): the lanes as bits (and NaN patterns, where allowed), and the vector they make.</summary>
    static (Shape Shape, ImmutableArray<LanePattern> Lanes, V128 Value) Vec(SList form, bool nanAllowed)
    {
        var shapeAtom = Atom(Item(form, 1));
        var (width, isFloat) = shapeAtom.Kind == TokenKind.Keyword && VectorLiterals.Shape(shapeAtom.Text) is { } s
            ? s : throw Error(shapeAtom, "unknown vector shape");
        var shape = new Shape(width switch
        {
            8 => LaneType.I8, 16 => LaneType.I16, 32 => isFloat ? LaneType.F32 : LaneType.I32, _ => isFloat ? LaneType.F64 : LaneType.I64,
        }, 128 / width);
        if (form.Items.Length != 2 + shape.Dim) throw Error(form, $"wrong number of lane literals for {shape}");
        var lanes = ImmutableArray.CreateBuilder<LanePattern>(shape.Dim);
        var bits = new ulong[shape.Dim];
        for (int i = 0; i < shape.Dim; i++)
        {
            var lit = Atom(form.Items[2 + i]);
            if (isFloat && nanAllowed && NanKindOf(lit) is { } nan)
            {
                lanes.Add(new LanePattern(0, nan));
                continue;
            }
            if (!Tokens.IsNumber(lit)) throw Error(lit, "unexpected token");
            if (!VectorLiterals.TryParseLane(lit.Text, width, isFloat, out bits[i])) throw Error(lit, "constant out of range");
            lanes.Add(new LanePattern(bits[i], null));
        }
        return (shape, lanes.MoveToImmutable(), VectorLiterals.Pack(width, bits));
    }

    /// <summary>A number literal of the given type as its bit pattern (i32 and f32 zero-extended).</summary>
    static ulong Number(NumType type, SExpr e) => type switch
    {
        NumType.I32 => Tokens.Int(Atom(e), 32),
        NumType.I64 => Tokens.Int(Atom(e), 64),
        NumType.F32 => Tokens.Float(Atom(e), 32),
        _ => Tokens.Float(Atom(e), 64),
    };

    static uint U32(SExpr e) => Atom(e) is { Kind: TokenKind.Nat } a
        ? (uint)Tokens.Int(a, 32)
        : throw Error(e, "unsigned integer expected");

    /// <summary>A heap type in a script value: an abstract one, or a type index.</summary>
    static HeapType HeapType(SExpr e) => Atom(e) switch
    {
        { Kind: TokenKind.Keyword } k => k.Text switch
        {
            "any" => Syntax.HeapType.Any, "eq" => Syntax.HeapType.Eq, "i31" => Syntax.HeapType.I31,
            "struct" => Syntax.HeapType.Struct, "array" => Syntax.HeapType.Array, "none" => Syntax.HeapType.None,
            "func" => Syntax.HeapType.Func, "nofunc" => Syntax.HeapType.NoFunc, "exn" => Syntax.HeapType.Exn,
            "noexn" => Syntax.HeapType.NoExn, "extern" => Syntax.HeapType.Extern, "noextern" => Syntax.HeapType.NoExtern,
            _ => throw Error(e, "unknown heap type"),
        },
        { Kind: TokenKind.Nat } n => new TypeIdx(U32(n)),
        _ => throw Error(e, "heap type expected"),
    };

    // ---- Tree access ----

    static SList List(SExpr e, string what) => e as SList ?? throw Error(e, $"{what} expected");

    static Atom Atom(SExpr e) => e as Atom ?? throw Error(e, "literal expected");

    static SExpr Item(SList form, int i) => i < form.Items.Length ? form.Items[i] : throw Error(form, "unexpected end of form");

    static SExpr? ItemOrNull(SList form, int i) => i < form.Items.Length ? form.Items[i] : null;

    /// <summary>The single argument of a form like (i32.const 1).</summary>
    static SExpr Only(SList form) => form.Items.Length == 2 ? form.Items[1] : throw Error(form, $"{form.Head} takes one literal");

    static string? Keyword(SList form, int i) => ItemOrNull(form, i) is Atom { Kind: TokenKind.Keyword } k ? k.Text : null;

    /// <summary>An identifier, without its '$'.</summary>
    static string? Id(SExpr? e) => e is Atom { Kind: TokenKind.Id } a ? Tokens.IdName(a) : null;

    static WasmException Error(SExpr at, string reason) => Tokens.Error(at, reason);
}
