using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.TextFormat;

// §6.5 Instructions (spectec 6.3-text.instructions): flat (unfolded) instructions, one per line, blocks indented.
internal sealed partial class Printer
{
    /// <summary>
    /// Prints the instructions of one function body (or constant expression), tracking the label context so that
    /// a branch is written with its label's name only where that name resolves to the same label (Tlabel_ shadows).
    /// </summary>
    internal sealed partial class Body(Printer p, Space locals, ImmutableArray<NameAssoc> labelNames)
    {
        readonly Dictionary<uint, string> labelName = LabelNames(labelNames);
        readonly List<string?> labels = [];   // the label context, innermost last
        readonly Dictionary<string, Stack<int>> innermost = []; // per label name, the positions in labels that bind it
        uint begun;                           // blocks begun so far: the index of the next label in Names.Labels
        List<string>? inline;                 // when set, text is collected on one line instead of written as lines

        /// <summary>
        /// Prints instructions with an explicit stack of pending steps rather than recursion, so that nesting as
        /// deep as a decoded module may have cannot exhaust the thread's stack.
        /// </summary>
        public void Instrs(ImmutableArray<Instr> instrs)
        {
            var work = new Stack<Step>();
            PushAll(work, [.. instrs.OrEmpty().Select(i => Step.Of(i))]);
            while (work.TryPop(out var step))
                switch (step.Kind)
                {
                    case StepKind.Instr: BranchHintAnnotation(); Locate(); Instr(step.Instr!, work); break;
                    case StepKind.Emit: Emit(step.Text!); break;
                    case StepKind.Indent: p.indent++; break;
                    case StepKind.Dedent: p.indent--; break;
                    case StepKind.Close: CloseLabel(); break;
                    case StepKind.Delegate: CloseLabel(); Emit($"delegate {Label(step.Label)}"); break;
                }
        }

        enum StepKind : byte { Instr, Emit, Indent, Dedent, Close, Delegate }

        readonly record struct Step(StepKind Kind, Instr? Instr = null, string? Text = null, uint Label = 0)
        {
            public static Step Of(Instr i) => new(StepKind.Instr, i);
            public static Step Say(string text) => new(StepKind.Emit, Text: text);
            public static readonly Step Indent = new(StepKind.Indent), Dedent = new(StepKind.Dedent), Close = new(StepKind.Close);
        }

        // Steps to run in the given order.
        static void PushAll(Stack<Step> work, List<Step> steps)
        {
            for (var i = steps.Count - 1; i >= 0; i--) work.Push(steps[i]);
        }

        // Indent, the instructions, dedent.
        static IEnumerable<Step> Nested(ImmutableArray<Instr> body) =>
            [Step.Indent, .. body.OrEmpty().Select(i => Step.Of(i)), Step.Dedent];

        /// <summary>A constant expression on one line: plain instructions folded, " (i32.const 0)", blocks flat.</summary>
        public string Inline(ImmutableArray<Instr> instrs)
        {
            inline = [];
            foreach (var i in instrs)
                if (IsBlock(i)) Instrs([i]);
                else inline.Add("(" + Plain(i) + ")");
            return string.Concat(inline.Select(s => " " + s));
        }

        /// <summary>One instruction's first line: all of a plain instruction, a block instruction's opening.</summary>
        public string Head(Instr i)
        {
            inline = [];
            Instr(i, new Stack<Step>());
            return inline[0];
        }

        /// <summary>One instruction with all of its body, on one line.</summary>
        public string Whole(Instr i)
        {
            inline = [];
            Instrs([i]);
            return string.Join(' ', inline);
        }

        static bool IsBlock(Instr i) => i is Block or Loop or If or TryTable or LegacyTry or LegacyTryDelegate;

        void Emit(string text)
        {
            if (inline is not null) inline.Add(text);
            else p.Line(text);
        }

        // Tlabel_: the block's name from the label names (by order of beginning), bound for its body.
        string OpenLabel()
        {
            var name = labelName.GetValueOrDefault(begun++);
            if (name is not null)
            {
                if (!innermost.TryGetValue(name, out var at)) innermost[name] = at = [];
                at.Push(labels.Count);
            }
            labels.Add(name);
            return name is null ? "" : " " + Id(name);
        }

        static Dictionary<uint, string> LabelNames(ImmutableArray<NameAssoc> names)
        {
            var d = new Dictionary<uint, string>();
            foreach (var (index, n) in names.OrEmpty()) if (IsPrintableId(n)) d.TryAdd(index, n);
            return d;
        }

        void CloseLabel()
        {
            if (labels[^1] is { } name) innermost[name].Pop();
            labels.RemoveAt(labels.Count - 1);
        }

        // Tlabelidx_: the name if no inner label has taken it (the innermost label of that name is this one), else the index.
        string Label(uint l)
        {
            if (l >= labels.Count) return U64(l);
            var at = labels.Count - 1 - (int)l;
            return labels[at] is { } name && innermost[name].Peek() == at ? Id(name) : U64(l);
        }

        // Tblocktype_: (result t)? for _RESULT, an explicit type use for _IDX.
        string BlockType(BlockType bt) => bt switch
        {
            ValBlockType { Result: null } => "",
            ValBlockType { Result: { } t } => $" (result {p.ValType(t)})",
            IdxBlockType x => " " + p.TypeUse(x.TypeIdx, null),
            _ => throw new ArgumentException($"unknown block type {bt}"),
        };

        // Tinstr_: a block instruction's first line now and the rest as steps; a plain instruction on one line.
        void Instr(Instr instr, Stack<Step> work)
        {
            switch (instr)
            {
                case Block b: // Tblockinstr_/block
                    Emit($"block{OpenLabel()}{BlockType(b.Type)}");
                    PushAll(work, [.. Nested(b.Body), Step.Close, Step.Say("end")]);
                    break;
                case Loop l: // Tblockinstr_/loop
                    Emit($"loop{OpenLabel()}{BlockType(l.Type)}");
                    PushAll(work, [.. Nested(l.Body), Step.Close, Step.Say("end")]);
                    break;
                case If i: // Tblockinstr_/if, else written only when the else branch has instructions
                    Emit($"if{OpenLabel()}{BlockType(i.Type)}");
                    PushAll(work, [.. Nested(i.Then), .. i.Else.IsDefaultOrEmpty ? [] : (IEnumerable<Step>)[Step.Say("else"), .. Nested(i.Else)],
                        Step.Close, Step.Say("end")]);
                    break;
                case TryTable t: // Tblockinstr_/try_table: catch labels resolve outside the block (Tcatch_(I))
                    var catches = string.Concat(t.Catches.OrEmpty().Select(c => " " + Catch(c)));
                    var label = OpenLabel();
                    Emit($"try_table{label}{BlockType(t.Type)}{catches}");
                    PushAll(work, [.. Nested(t.Body), Step.Close, Step.Say("end")]);
                    break;
                case LegacyTry t: // legacy try ... catch x ... catch_all ... end
                    Emit($"try{OpenLabel()}{BlockType(t.Type)}");
                    PushAll(work, [
                        .. Nested(t.Body),
                        .. t.Catches.OrEmpty().SelectMany(c => (IEnumerable<Step>)[Step.Say($"catch {p.tags.Ref(c.Tag)}"), .. Nested(c.Body)]),
                        .. t.CatchAll is { } all ? (IEnumerable<Step>)[Step.Say("catch_all"), .. Nested(all)] : [],
                        Step.Close, Step.Say("end")]);
                    break;
                case LegacyTryDelegate t: // legacy try ... delegate l: l resolves outside the try block
                    Emit($"try{OpenLabel()}{BlockType(t.Type)}");
                    PushAll(work, [.. Nested(t.Body), new Step(StepKind.Delegate, Label: t.Label)]);
                    break;
                default:
                    Emit(Plain(instr));
                    break;
            }
        }

        // Tcatch_
        string Catch(Catch c) => c switch
        {
            CatchTag t => $"(catch {p.tags.Ref(t.Tag)} {Label(t.Label)})",
            CatchTagRef t => $"(catch_ref {p.tags.Ref(t.Tag)} {Label(t.Label)})",
            CatchAll a => $"(catch_all {Label(a.Label)})",
            CatchAllRef a => $"(catch_all_ref {Label(a.Label)})",
            _ => throw new ArgumentException($"unknown catch clause {c}"),
        };

        // Tmemidx_, omitted for memory 0 (Tplaininstr_/memory-abbrev).
        string Mem(uint x) => x == 0 ? "" : " " + p.mems.Ref(x);

        // Tmemarg_(N): offset= when not 0, align= when not the natural alignment N (given as log2).
        static string MemArg(MemArg a, int natural) =>
            (a.Offset != 0 ? $" offset={U64(a.Offset)}" : "")
            + (a.Align != natural ? $" align={U64(Pow2(a.Align, "alignment"))}" : "");

        static int Log2Bytes(Sz size) => size switch { Sz.S8 => 0, Sz.S16 => 1, Sz.S32 => 2, _ => 3 };

        static int Log2Bytes(NumType t) => t is Syntax.NumType.I32 or Syntax.NumType.F32 ? 2 : 3;

        string Ht(HeapType h) => p.HeapType(h);
        string Rt(RefType r) => p.RefType(r);
        string Ty(uint x) => p.types.Ref(x);
        string Fn(uint x) => p.funcs.Ref(x);
        string Tab(uint x) => p.tables.Ref(x);
        string Elem(uint x) => p.elems.Ref(x);
        string Data(uint x) => p.datas.Ref(x);

        // Tplaininstr_: one arm per production.
        public string Plain(Instr instr) => instr switch
        {
            // parametric
            Unreachable => "unreachable",
            Nop => "nop",
            AtomicFence => "atomic.fence",
            Atomic a => $"{Parser.AtomicName(a.Type, a.Size, a.Op)}{Mem(a.Mem)}{MemArg(a.Arg, a.Size is { } sz ? Log2Bytes(sz) : Log2Bytes(a.Type))}",
            MemoryAtomicNotify a => $"memory.atomic.notify{Mem(a.Mem)}{MemArg(a.Arg, 2)}",
            MemoryAtomicWait a => $"memory.atomic.wait{(a.Type == Syntax.NumType.I32 ? "32" : "64")}{Mem(a.Mem)}{MemArg(a.Arg, Log2Bytes(a.Type))}",
            Drop => "drop",
            Select { Types: null } => "select",
            Select { Types: { } ts } => $"select (result{string.Concat(ts.OrEmpty().Select(t => " " + p.ValType(t)))})",

            // br
            Br b => $"br {Label(b.Label)}",
            BrIf b => $"br_if {Label(b.Label)}",
            BrTable b => $"br_table{string.Concat(b.Labels.OrEmpty().Select(l => " " + Label(l)))} {Label(b.Default)}",
            BrOnNull b => $"br_on_null {Label(b.Label)}",
            BrOnNonNull b => $"br_on_non_null {Label(b.Label)}",
            BrOnCast b => $"br_on_cast {Label(b.Label)} {Rt(b.From)} {Rt(b.To)}",
            BrOnCastFail b => $"br_on_cast_fail {Label(b.Label)} {Rt(b.From)} {Rt(b.To)}",
            BrOnCastDescEq b => $"br_on_cast_desc_eq {Label(b.Label)} {Rt(b.From)} {Rt(b.To)}",
            BrOnCastDescEqFail b => $"br_on_cast_desc_eq_fail {Label(b.Label)} {Rt(b.From)} {Rt(b.To)}",

            // func
            Call c => $"call {Fn(c.Func)}",
            CallRef c => $"call_ref {Ty(c.TypeIdx)}",
            CallIndirect c => $"call_indirect {Tab(c.Table)} {p.TypeUse(c.TypeIdx, null)}",
            Return => "return",
            ReturnCall c => $"return_call {Fn(c.Func)}",
            ReturnCallRef c => $"return_call_ref {Ty(c.TypeIdx)}",
            ReturnCallIndirect c => $"return_call_indirect {Tab(c.Table)} {p.TypeUse(c.TypeIdx, null)}",

            // exn
            Throw t => $"throw {p.tags.Ref(t.Tag)}",
            ThrowRef => "throw_ref",
            LegacyRethrow r => $"rethrow {Label(r.Label)}",

            // local, global
            LocalGet x => $"local.get {locals.Ref(x.Local)}",
            LocalSet x => $"local.set {locals.Ref(x.Local)}",
            LocalTee x => $"local.tee {locals.Ref(x.Local)}",
            GlobalGet x => $"global.get {p.globals.Ref(x.Global)}",
            GlobalSet x => $"global.set {p.globals.Ref(x.Global)}",

            // table, elem
            TableGet x => $"table.get {Tab(x.Table)}",
            TableSet x => $"table.set {Tab(x.Table)}",
            TableSize x => $"table.size {Tab(x.Table)}",
            TableGrow x => $"table.grow {Tab(x.Table)}",
            TableFill x => $"table.fill {Tab(x.Table)}",
            TableCopy x => $"table.copy {Tab(x.Dst)} {Tab(x.Src)}",
            TableInit x => $"table.init {Tab(x.Table)} {Elem(x.Elem)}",
            ElemDrop x => $"elem.drop {Elem(x.Elem)}",

            // memory
            Load l => $"{NumType(l.Type)}.load{LoadSuffix(l.Op)}{Mem(l.Mem)}{MemArg(l.Arg, l.Op is { } o ? Log2Bytes(o.Size) : Log2Bytes(l.Type))}",
            Store s => $"{NumType(s.Type)}.store{(s.Size is { } z ? ((int)z).ToString(Inv) : "")}{Mem(s.Mem)}{MemArg(s.Arg, s.Size is { } sz ? Log2Bytes(sz) : Log2Bytes(s.Type))}",
            VLoad v => $"v128.load{VLoadSuffix(v.Op)}{Mem(v.Mem)}{MemArg(v.Arg, VLoadNatural(v.Op))}",
            VLoadLane v => $"v128.load{(int)v.Size}_lane{Mem(v.Mem)}{MemArg(v.Arg, Log2Bytes(v.Size))} {v.Lane}",
            VStore v => $"v128.store{Mem(v.Mem)}{MemArg(v.Arg, 4)}",
            VStoreLane v => $"v128.store{(int)v.Size}_lane{Mem(v.Mem)}{MemArg(v.Arg, Log2Bytes(v.Size))} {v.Lane}",
            MemorySize x => $"memory.size{Mem(x.Mem)}",
            MemoryGrow x => $"memory.grow{Mem(x.Mem)}",
            MemoryFill x => $"memory.fill{Mem(x.Mem)}",
            MemoryCopy x => x.Dst == 0 && x.Src == 0 ? "memory.copy" : $"memory.copy {p.mems.Ref(x.Dst)} {p.mems.Ref(x.Src)}",
            MemoryInit x => $"memory.init{Mem(x.Mem)} {Data(x.Data)}",
            DataDrop x => $"data.drop {Data(x.Data)}",

            // ref
            RefNull r => $"ref.null {Ht(r.Type)}",
            RefFunc r => $"ref.func {Fn(r.Func)}",
            RefIsNull => "ref.is_null",
            RefAsNonNull => "ref.as_non_null",
            RefEq => "ref.eq",
            RefTest r => $"ref.test {Rt(r.Type)}",
            RefCast r => $"ref.cast {Rt(r.Type)}",
            RefCastDescEq r => $"ref.cast_desc_eq {Rt(r.Type)}",
            RefGetDesc r => $"ref.get_desc {Ty(r.TypeIdx)}",

            // i31, struct, array, extern
            RefI31 => "ref.i31",
            I31Get g => $"i31.get{SxSuffix(g.Sx)}",
            StructNew s => $"struct.new {Ty(s.TypeIdx)}",
            StructNewDefault s => $"struct.new_default {Ty(s.TypeIdx)}",
            StructNewDesc s => $"struct.new_desc {Ty(s.TypeIdx)}",
            StructNewDefaultDesc s => $"struct.new_default_desc {Ty(s.TypeIdx)}",
            StructGet s => $"struct.get{SxSuffix(s.Sx)} {Ty(s.TypeIdx)} {p.FieldsOf(s.TypeIdx).Ref(s.Field)}",
            StructSet s => $"struct.set {Ty(s.TypeIdx)} {p.FieldsOf(s.TypeIdx).Ref(s.Field)}",
            ArrayNew a => $"array.new {Ty(a.TypeIdx)}",
            ArrayNewDefault a => $"array.new_default {Ty(a.TypeIdx)}",
            ArrayNewFixed a => $"array.new_fixed {Ty(a.TypeIdx)} {U64(a.Length)}",
            ArrayNewData a => $"array.new_data {Ty(a.TypeIdx)} {Data(a.Data)}",
            ArrayNewElem a => $"array.new_elem {Ty(a.TypeIdx)} {Elem(a.Elem)}",
            ArrayGet a => $"array.get{SxSuffix(a.Sx)} {Ty(a.TypeIdx)}",
            ArraySet a => $"array.set {Ty(a.TypeIdx)}",
            ArrayLen => "array.len",
            ArrayFill a => $"array.fill {Ty(a.TypeIdx)}",
            ArrayCopy a => $"array.copy {Ty(a.Dst)} {Ty(a.Src)}",
            ArrayInitData a => $"array.init_data {Ty(a.TypeIdx)} {Data(a.Data)}",
            ArrayInitElem a => $"array.init_elem {Ty(a.TypeIdx)} {Elem(a.Elem)}",
            AnyConvertExtern => "any.convert_extern",
            ExternConvertAny => "extern.convert_any",

            _ => NumericOrVector(instr),
        };

        static string SxSuffix(Sx? sx) => sx switch { Sx.S => "_s", Sx.U => "_u", _ => "" };

        static string LoadSuffix(LoadOp? op) => op is { } o ? $"{(int)o.Size}{SxSuffix(o.Sx)}" : "";

        static string VLoadSuffix(VLoadOp? op) => op switch
        {
            null => "",
            VLoadShape s => $"{(int)s.Size}x{s.Lanes}{SxSuffix(s.Sx)}",
            VLoadSplat s => $"{(int)s.Size}_splat",
            VLoadZero z => $"{(int)z.Size}_zero",
            _ => throw new ArgumentException($"unknown vector load {op}"),
        };

        // The natural alignment of a vector load: the bytes it reads.
        static int VLoadNatural(VLoadOp? op) => op switch
        {
            VLoadShape => 3,
            VLoadSplat s => Log2Bytes(s.Size),
            VLoadZero z => Log2Bytes(z.Size),
            _ => 4,
        };
    }
}
