using Spec.Syntax;
using static Spec.Execution.Reduction.Compiled;

namespace Spec.Execution.Reduction;

// Faithful steps (when the rules are observed: a trace, rule coverage, or Step() called one rule at a time).
// Some rules' right-hand sides are instructions the function's code does not hold: local.tee's LOCAL.SET,
// the ARRAY.NEW_FIXED and STRUCT.NEW that array.new* and struct.new_default* reduce to, and (with exact steps)
// a bulk operation's one element followed by the operation on the rest. They are spliced in front of the code:
// `code` becomes the right-hand side's instructions ending in Resume, and Resume returns to the function's code.
// Spliced instructions are parts of one instruction already paid for: they take no fuel.
// Running unobserved, these rules are applied together in one step, as before (the interpreter's speed).

public sealed partial class Interpreter
{
    /// <summary>Whether every step applies exactly one rule, leaving its right-hand side as the configuration.</summary>
    bool faithful;

    /// <summary>Whether bulk operations (memory.fill, table.copy, array.init_data, ...) recurse one element a step too.</summary>
    readonly bool exact;

    /// <summary>The function's code while a right-hand side is spliced in front of it (null otherwise), and where it resumes.</summary>
    Inst[]? splicedFrom;
    int resumePc;

    /// <summary>A right-hand side being written: values and instructions in order.</summary>
    readonly struct Rhs(ModuleInstance module)
    {
        public readonly List<Inst> Items = [];
        public Rhs V(Value v) { Items.Add(new Inst { Op = Op.Val, O = v }); return this; }
        public Rhs I(Instr i) { Items.Add(One(module, i)); return this; }
    }

    Rhs NewRhs() => new(module);

    /// <summary>
    /// Puts <paramref name="rhs"/> in front of what follows the current instruction. The pc is left just before it,
    /// so that the step's own pc++ moves onto the first spliced instruction. A splice made inside a splice keeps
    /// the rest of the outer one.
    /// </summary>
    void Splice(Rhs rhs)
    {
        var items = rhs.Items;
        if (splicedFrom is null)
        {
            splicedFrom = code;
            resumePc = pc + 1;
            items.Add(new Inst { Op = Op.Resume });
        }
        else items.AddRange(code.AsSpan(pc + 1).ToArray());
        code = [.. items];
        pc = -1;
    }

    /// <summary>The spliced right-hand side is done: back to the function's code.</summary>
    void Unsplice()
    {
        code = splicedFrom!;
        pc = resumePc;
        splicedFrom = null;
    }

    /// <summary>
    /// Before a faithful step: the spliced values in front of the next instruction join the stack, and a finished
    /// right-hand side resumes the function's code (neither is a step). Only faithful steps splice, so the unobserved
    /// step never meets a Val or Resume.
    /// </summary>
    void EnterSpliced()
    {
        while (splicedFrom is not null && pending == Admin.None)
        {
            ref readonly var i = ref code[pc];
            if (i.Op == Op.Val) { Push((Value)i.O!); pc++; }
            else if (i.Op == Op.Resume) Unsplice();
            else break;
        }
    }

    /// <summary>The instructions still spliced after the current one, and then the function's code from where it resumes.</summary>
    bool SplicedAfterCurrent => splicedFrom is not null && code[pc + 1].Op != Op.Resume;

    /// <summary>A bulk operation's unit per element, paid once by the instruction itself: its recursion, spliced, pays nothing.</summary>
    void ChargeBulk(ulong n)
    {
        if (splicedFrom is null) store.Charge(n);
    }

    // Step_pure/local.tee: val (LOCAL.TEE x) ~> val val (LOCAL.SET x)
    string StepLocalTeeFaithful(in Inst i)
    {
        Push(stack[sp - 1]);
        Splice(NewRhs().I(new LocalSet((uint)i.A)));
        pc++;
        return "Step_pure/local.tee";
    }

    /// <summary>
    /// One step, observed: its rule, then the context rules it was taken under (Step/ctxt-frame, ctxt-label,
    /// ctxt-handler, ctxt-instrs), each once per step taken inside at least one context of its kind that the rule
    /// leaves in place. Handlers are looked for in the innermost frame.
    /// </summary>
    void TracedStep(Action<string> trace)
    {
        // FRAME_ contexts: the configuration's own frame is none
        int frameCount = fsp - (fsp > 0 && IsConfigurationFrame(frames[0]) ? 1 : 0), innerLabels = lsp - labelBase;
        bool labelBelow = false, handlerBelow = false;
        for (int k = lsp - 2; k >= labelBase && !(labelBelow && handlerBelow); k--)
            if (labels[k].Kind == Ctx.Handler) handlerBelow = true; else labelBelow = true;
        var innermost = innerLabels > 0 ? labels[lsp - 1].Kind : (Ctx?)null;
        EnterSpliced();
        var rule = StepTop();
        trace(rule);
        // the rules that reduce the innermost label, handler or frame itself are not taken inside it
        bool onFrame = rule.Contains("frame", StringComparison.Ordinal);
        bool onLabel = !onFrame && (rule.Contains("label", StringComparison.Ordinal) || rule.Contains("handler", StringComparison.Ordinal));
        bool inFrame = frameCount > (onFrame ? 1 : 0);
        bool inLabel = labelBelow || frameCount > 1 || (innermost == Ctx.Label && !onLabel);
        bool inHandler = handlerBelow || (innermost == Ctx.Handler && !onLabel);
        if (inFrame) trace("Step/ctxt-frame");
        if (inLabel) trace("Step/ctxt-label");
        if (inHandler) trace("Step/ctxt-handler");
        if (inFrame || inLabel) trace("Step/ctxt-instrs");
    }

    /// <summary>How many values a faithful array.new* puts on the operand stack before ARRAY.NEW_FIXED: more would not fit
    /// the stack, so a larger array is allocated in the same step (the trace says so by the missing array.new_fixed).</summary>
    const uint MaxSplicedElements = 1 << 16;
}
