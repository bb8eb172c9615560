using System.Collections.Immutable;
using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using static Spec.Native.X64.Reg;
using Mem = Spec.Native.X64.Mem;

namespace Spec.Native.Compiler;

// §4.4.9 Exceptions (try_table, throw, throw_ref) and the legacy exception instructions (try/catch/delegate,
// rethrow). A try pushes a handler record (its frame, its landing pad, its catch clauses by site) while its body
// runs and pops it when control leaves the body. A throw asks the runtime to find the innermost record whose
// clauses catch the exception (Step_read/throw_ref-handler-catch and the like, delegates skipping records); the
// runtime resumes at that record's landing pad, in its frame, where every value lives in memory (the block's
// entries were spilled when it began, the pinned locals were written home by the call that threw). The landing
// pad takes the clause's values and branches to its label.

/// <summary>A try_table's clauses, with their tags, as the runtime matches them.</summary>
internal sealed record TryTableSite(ImmutableArray<Catch> Catches, TagInst?[] Tags);

/// <summary>A legacy try's catch clauses: a tag each, null for catch_all.</summary>
internal sealed record LegacyTrySite(TagInst?[] Tags);

/// <summary>A legacy try ... delegate: an exception in its body skips this many records and goes on from there.</summary>
internal sealed record DelegateSite(int Skip);

/// <summary>throw: the tag, and the classes of its payload on the operand stack.</summary>
internal sealed record ThrowSite(TagInst Tag, VClass[] Fields);

/// <summary>A try_table being compiled: its landing pad and clauses.</summary>
internal sealed record TryTableState(Label Landing, ImmutableArray<Catch> Catches);

/// <summary>A legacy try being compiled: its landing pad, the slot holding the caught exception, its clauses.</summary>
internal sealed class LegacyTryState(Label landing, int exnSlot, List<(Label Start, ImmutableArray<Instr> Body, TagInst? Tag)> clauses)
{
    public readonly Label Landing = landing;
    public readonly int ExnSlot = exnSlot;
    public readonly List<(Label Start, ImmutableArray<Instr> Body, TagInst? Tag)> Clauses = clauses;
    /// <summary>The next clause to compile; -1 while the try's body is compiled.</summary>
    public int Next = -1;
    public Snapshot? AtLanding;
}

internal sealed partial class FunctionCompiler
{
    /// <summary>Slots after the locals that hold the exceptions legacy catch clauses caught (for rethrow), one per legacy try.</summary>
    readonly int exnSlots;
    int nextExnSlot;

    /// <summary>Pushes a handler record for a try at the current point; its landing pad is <paramref name="landing"/>.</summary>
    void PushHandler(object site, Label? landing)
    {
        MaterializeFlags();
        var t = AllocGpr();
        var u = AllocGpr();
        a.Mov(Width.W64, Scratch, Mem.At(R14, Layout.Engine));
        a.Mov(Width.W64, t, Mem.At(Scratch, Layout.HandlerTop));
        a.Alu(AluOp.Cmp, Width.W64, t, Mem.At(Scratch, Layout.HandlerEnd));
        a.Jcc(Cond.AE, TrapLabel(TrapCode.CallStackExhausted));
        a.Mov(Width.W64, Mem.At(t, Layout.HandlerRbp), Rbp);
        a.Mov(Width.W64, Mem.At(t, Layout.HandlerRsp), Rsp);
        if (landing is not null) a.Lea(Width.W64, u, Mem.Rip(landing)); else a.Alu(AluOp.Xor, Width.W32, u, u);
        a.Mov(Width.W64, Mem.At(t, Layout.HandlerLanding), u);
        a.Mov(Width.W64, u, Mem.At(R14, Layout.DepthLeft));
        a.Mov(Width.W64, Mem.At(t, Layout.HandlerDepth), u);
        a.MovImm(u, (ulong)mc.ModuleHandle);
        a.Mov(Width.W64, Mem.At(t, Layout.HandlerModule), u);
        a.Mov(Width.W32, Mem.At(t, Layout.HandlerSite), mc.Site(site));
        a.Alu(AluOp.Add, Width.W64, t, Layout.HandlerSize);
        a.Mov(Width.W64, Mem.At(Scratch, Layout.HandlerTop), t);
        Release(t);
        Release(u);
        handlers++;
    }

    /// <summary>Control leaves <paramref name="n"/> try bodies: their records go.</summary>
    void PopHandlers(int n)
    {
        if (n == 0) return;
        a.Mov(Width.W64, Scratch, Mem.At(R14, Layout.Engine));
        a.Alu(AluOp.Sub, Width.W64, Mem.At(Scratch, Layout.HandlerTop), n * Layout.HandlerSize);
    }

    /// <summary>The machine at a landing pad: the block's entries below it as they were, everything else in memory.</summary>
    void AtLanding(Control c)
    {
        sp = c.Height;
        gprBusy = xmmBusy = 0;
        for (int k = 0; k < numLocals; k++) localWhere[k] = Where.Mem;
        handlers = c.Handlers;
        if (usesMemory0) SetMemory0(); // the thrower may have been another instance's code
        unreachable = false;
    }

    /// <summary>Jumps to the clause the runtime chose when <c>LandClause</c> is <paramref name="clause"/>, else falls through.</summary>
    void IfClause(int clause, Label target)
    {
        a.Mov(Width.W64, Scratch, Mem.At(R14, Layout.Engine));
        a.Alu(AluOp.Cmp, Width.W32, Mem.At(Scratch, Layout.LandClause), clause);
        a.Jcc(Cond.E, target);
    }

    /// <summary>Writes the caught exception's fields (and/or its reference) to the slots from position <paramref name="at"/>.</summary>
    void TakeCaught(int at, bool fields, bool reference)
    {
        a.Mov(Width.W64, Rdi, R14);
        a.Lea(Width.W64, Rsi, SlotMem(SlotOf(at)));
        a.MovImm(Rdx, fields ? 1UL : 0);
        a.MovImm(Rcx, reference ? 1UL : 0);
        CallNative(HelperAddresses.CatchPayload);
    }

    static VClass[] ClassesOf(TagInst tag) => [.. tag.FuncType.Params.Select(Abi.ClassOf)];

    // ---- try_table ----

    /// <summary>Step_read/try_table: HANDLER_n{catch*} (LABEL_n{} instr*).</summary>
    void TryTable(TryTable t)
    {
        var c = Enter(CtrlKind.TryTable, t.Type, t.Body);
        var landing = a.NewLabel();
        c.Extra = new TryTableState(landing, t.Catches);
        var tags = t.Catches.Select(k => k switch
        {
            CatchTag ct => mc.Instance.Tags[(int)ct.Tag],
            CatchTagRef cr => mc.Instance.Tags[(int)cr.Tag],
            _ => null,
        }).ToArray();
        PushHandler(new TryTableSite(t.Catches, tags), landing);
        ChargeFuel(t.Body, 0);
    }

    /// <summary>The end of a try's body: it leaves the handler (Step_pure/handler-vals), and its landing pad follows.</summary>
    void EndTry(Control c)
    {
        if (!unreachable) Jump(c);
        var (landing, catches) = (TryTableState)c.Extra!;
        a.Bind(landing);
        mc.Marks?.Add(new JitMark(a.Position, null, "landing pad"));
        AtLanding(c);
        var snapshot = Snap();
        var starts = catches.Select(_ => a.NewLabel()).ToArray();
        for (int k = 0; k < catches.Length; k++) IfClause(k, starts[k]);
        a.Ud2(); // the runtime lands only on a matching clause
        for (int k = 0; k < catches.Length; k++)
        {
            Restore(snapshot);
            a.Bind(starts[k]);
            var clause = catches[k];
            var tag = clause is CatchTag ct ? mc.Instance.Tags[(int)ct.Tag] : clause is CatchTagRef cr ? mc.Instance.Tags[(int)cr.Tag] : null;
            bool fields = tag is not null, reference = clause is CatchTagRef or CatchAllRef;
            var classes = (fields ? ClassesOf(tag!) : []).Concat(reference ? [VClass.Ref] : []).ToArray();
            if (classes.Length > 0)
            {
                maxSp = Math.Max(maxSp, sp + classes.Length);
                TakeCaught(sp, fields, reference);
                foreach (var cls in classes) PushSpilled(cls);
            }
            // Catch labels count from outside the try_table.
            Jump(LabelAt(clause.Label + 1));
        }
        unreachable = true;
    }

    // ---- throw, throw_ref ----

    /// <summary>Step/throw: a new exception of the tag with the operands as its fields, thrown.</summary>
    void Throw(Throw t)
    {
        var tag = mc.Instance.Tags[(int)t.Tag];
        var classes = ClassesOf(tag);
        BeforeCall(0);
        int at = sp - classes.Length;
        for (int p = at; p < sp; p++) Spill(p);
        for (int k = 0; k < classes.Length; k++) Pop();
        a.Mov(Width.W64, Rdi, R14);
        a.MovImm(Rsi, (ulong)mc.ModuleHandle);
        a.MovImm(Rdx, (ulong)(uint)mc.Site(new ThrowSite(tag, classes)));
        a.Lea(Width.W64, Rcx, SlotMem(SlotOf(at)));
        CallNative(HelperAddresses.Throw);
        JumpToFault();
        unreachable = true;
    }

    /// <summary>Step_read/throw_ref: the exception a reference names, thrown again ("null exception reference" for null).</summary>
    void ThrowRef()
    {
        var r = Pop();
        BeforeCall(0);
        LoadGpr(Rsi, r);
        Release(r);
        a.Mov(Width.W64, Rdi, R14);
        CallNative(HelperAddresses.ThrowRef);
        JumpToFault();
        unreachable = true;
    }

    /// <summary>After a helper that never returns normally: its status decides (unwind or land).</summary>
    void JumpToFault()
    {
        a.MovImm(Scratch, (ulong)Stubs.Fault);
        a.Jmp(Scratch);
    }

    // ---- Legacy try, catch, delegate, rethrow ----

    void LegacyTry(LegacyTry t)
    {
        var c = Enter(CtrlKind.LegacyTry, t.Type, t.Body);
        var clauses = t.Catches.Select(k => (a.NewLabel(), k.Body, (TagInst?)mc.Instance.Tags[(int)k.Tag])).ToList();
        if (t.CatchAll is { } all) clauses.Add((a.NewLabel(), all, null));
        var state = new LegacyTryState(a.NewLabel(), numLocals + nextExnSlot++, clauses);
        c.Extra = state;
        // A try without clauses catches nothing: its record has no landing pad.
        PushHandler(new LegacyTrySite([.. clauses.Select(k => k.Item3)]), clauses.Count > 0 ? state.Landing : null);
        ChargeFuel(t.Body, 0);
    }

    /// <summary>A legacy try's next phase when its body or a clause ends: the landing pad, then each catch clause in
    /// turn, which runs inside the try's label with the exception kept for rethrow. False when there is none left.</summary>
    bool LegacyNextPhase(Control c)
    {
        var s = (LegacyTryState)c.Extra!;
        if (s.Clauses.Count == 0 || s.Next >= s.Clauses.Count) return false;
        if (!unreachable) Jump(c);
        if (s.Next < 0)
        {
            a.Bind(s.Landing);
            mc.Marks?.Add(new JitMark(a.Position, null, "landing pad"));
            AtLanding(c);
            // Keep the exception for rethrow; then go to the clause that caught it.
            TakeCaughtTo(s.ExnSlot);
            s.AtLanding = Snap();
            for (int k = 0; k < s.Clauses.Count; k++) IfClause(k, s.Clauses[k].Start);
            a.Ud2();
            c.Kind = CtrlKind.LegacyCatch;
            s.Next = 0;
        }
        var (start, body, tag) = s.Clauses[s.Next++];
        Restore(s.AtLanding!);
        unreachable = false;
        a.Bind(start);
        if (tag is not null)
        {
            var classes = ClassesOf(tag);
            maxSp = Math.Max(maxSp, sp + classes.Length);
            ExnFields(s.ExnSlot, sp);
            foreach (var cls in classes) PushSpilled(cls);
        }
        c.Body = body;
        c.Next = 0;
        ChargeFuel(body, 0);
        return true;
    }

    /// <summary>Stores the caught exception's handle in slot <paramref name="slot"/>.</summary>
    void TakeCaughtTo(int slot)
    {
        a.Mov(Width.W64, Rdi, R14);
        a.Lea(Width.W64, Rsi, SlotMem(slot));
        a.MovImm(Rdx, 0);
        a.MovImm(Rcx, 1);
        CallNative(HelperAddresses.CatchPayload);
    }

    /// <summary>Writes the fields of the exception whose handle is in <paramref name="exnSlot"/> to the slots from position <paramref name="at"/>.</summary>
    void ExnFields(int exnSlot, int at)
    {
        a.Mov(Width.W64, Rdi, R14);
        a.Mov(Width.W64, Rsi, SlotMem(exnSlot));
        a.Lea(Width.W64, Rdx, SlotMem(SlotOf(at)));
        CallNative(HelperAddresses.ExnFields);
    }

    void LegacyTryDelegate(LegacyTryDelegate t)
    {
        Enter(CtrlKind.LegacyDelegate, t.Type, t.Body);
        // delegate l names a label outside the try: the records pushed inside that label are skipped, and the
        // label's own try, if it is a try still running its body, is where the search goes on.
        var target = ctrls[ctrls.Count - 1 - (int)t.Label - 1];
        int keep = target.Kind == CtrlKind.Func ? 0
            : target.Handlers + (target.Kind is CtrlKind.TryTable or CtrlKind.LegacyTry or CtrlKind.LegacyDelegate ? 1 : 0);
        PushHandler(new DelegateSite(handlers - keep), null);
        ChargeFuel(t.Body, 0);
    }

    /// <summary>rethrow l: throws again the exception the catch clause of label l caught.</summary>
    void LegacyRethrow(LegacyRethrow r)
    {
        var target = LabelAt(r.Label);
        var s = (LegacyTryState)target.Extra!;
        BeforeCall(0);
        a.Mov(Width.W64, Rsi, SlotMem(s.ExnSlot));
        a.Mov(Width.W64, Rdi, R14);
        CallNative(HelperAddresses.ThrowRef);
        JumpToFault();
        unreachable = true;
    }
}
