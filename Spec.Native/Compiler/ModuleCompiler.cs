using System.Runtime.InteropServices;
using Spec.Execution;
using Spec.Native.Runtime;
using Spec.Native.X64;
using Spec.Syntax;
using Store = Spec.Execution.Store;
using Mem = Spec.Native.X64.Mem;

namespace Spec.Native.Compiler;

// Compiles a module instance's functions into one block of code: the functions one after the other (a direct call
// is a rel32 to its label), then their constants. The code is the instance's own: its memories', globals' and
// tables' cell addresses and its immutable globals' values are constants in it. A function the compiler cannot
// translate gets an entry that reports it (JitUnsupportedException), never another engine.
//
// A large module is compiled in parts on several threads, as one part is compiled on one: each part (a run of
// consecutive functions) has its own assembler, labels and constants; the parts are then placed one after the other,
// and calls from one part into another are patched once every part's place is known. Only the table of helper sites
// is shared (under a lock); the instance itself is only read.

internal sealed unsafe class ModuleCompiler
{
    public readonly Assembler Assembler;
    public readonly ModuleInstance Instance;
    public readonly JitModule Module;
    public readonly bool Metered;
    public readonly bool CanonicalNaNs;
    /// <summary>The marks of the function being compiled, when listings are kept.</summary>
    public List<JitMark>? Marks;
    public readonly int ImportCount;
    /// <summary>The instance's types, for closing the types of locals.</summary>
    public readonly System.Collections.Immutable.ImmutableArray<DefType> Types;
    readonly Dictionary<FuncType, (Placement[] Params, Placement[] Results)> placements = new(ReferenceEqualityComparer.Instance);
    readonly Label[] functions;
    readonly Dictionary<(ulong, ulong), Label> constants = [];
    readonly SiteTable sites;
    readonly List<(int ReturnOffset, int[] Roots)> callSites = [];
    readonly bool listing;
    /// <summary>The defined functions this part compiles: <see cref="First"/> up to, not including, <see cref="End"/>.</summary>
    readonly int First, End;

    ModuleCompiler(JitModule module, JitOptions options, int first, int end, SiteTable sites, long outermost)
    {
        Module = module;
        Instance = module.Instance;
        First = first;
        End = end;
        this.sites = sites;
        // Room for most code at once: about 16 bytes an instruction, estimated from the bodies' outermost sequences
        // (walking every nested one costs more than the buffer's few doublings).
        Assembler = new Assembler((int)Math.Min(Assembler.MaxCodeSize, 4096 + 16 * outermost));
        Metered = options.Fuel;
        listing = options.Listing;
        CanonicalNaNs = options.CanonicalNaNs;
        ImportCount = Instance.Funcs.Count - module.Defined.Length;
        Types = [.. Instance.Types];
        functions = new Label[module.Defined.Length];
        for (int k = 0; k < functions.Length; k++) functions[k] = Assembler.NewLabel();
    }

    public nint ModuleHandle => Module.Handle;

    /// <summary>The work list of the walks over a body's nested sequences, shared by the functions compiled one after another.</summary>
    internal readonly Stack<(System.Collections.Immutable.ImmutableArray<Instr> Seq, int Depth)> Nested = new();

    /// <summary>Where a call's arguments and results travel (Abi.Place, made once per function type).</summary>
    public (Placement[] Params, Placement[] Results) Placements(FuncType ft)
    {
        if (!placements.TryGetValue(ft, out var p)) placements[ft] = p = (Abi.Place(ft.Params, false), Abi.Place(ft.Results, true));
        return p;
    }

    public Label FunctionLabel(int defined) => functions[defined];

    /// <summary>A 16-byte constant in the pool, addressed RIP-relative.</summary>
    public Label Constant(ulong lo, ulong hi)
    {
        if (!constants.TryGetValue((lo, hi), out var l)) constants[(lo, hi)] = l = Assembler.NewLabel();
        return l;
    }

    public nint MemoryCell(uint mem) => (nint)Instance.Mems[(int)mem].Cell;

    /// <summary>A call of compiled code returns to <paramref name="returnOffset"/>; its frame's references are at <paramref name="roots"/>.</summary>
    public void CallSite(int returnOffset, int[] roots) => callSites.Add((returnOffset, roots));

    /// <summary>The index of a new helper site: what a runtime instruction needs at run time.</summary>
    public int Site(object info) => sites.Add(info);

    /// <summary>Compiles <paramref name="module"/>'s functions and installs the code: in parts on several threads
    /// when the module is large enough to gain from it and no listing is kept.</summary>
    public static void CompileModule(JitModule module, JitOptions options)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cpu = ThreadClock.Now();
        var defined = module.Defined;
        var sizes = new long[defined.Length];
        long total = 0;
        for (int k = 0; k < defined.Length; k++) total += sizes[k] = defined[k].Code!.Body.Instrs.Length;
        int threads = options.Listing ? 1 : Math.Min(Environment.ProcessorCount, MaxThreads);
        var ranges = Partition(sizes, total, threads);
        var sites = new SiteTable();
        var parts = new ModuleCompiler[ranges.Length];
        var partCpu = new long[ranges.Length];
        var notCompiled = new string?[defined.Length];
        var marks = new List<JitMark>[defined.Length];
        void CompilePart(int p)
        {
            var started = ThreadClock.Now();
            var (first, end, outermost) = ranges[p];
            parts[p] = new ModuleCompiler(module, options, first, end, sites, outermost);
            parts[p].Compile(notCompiled, marks);
            if (ranges.Length > 1) partCpu[p] = (ThreadClock.Now() - started).Ticks;
        }
        if (ranges.Length == 1) CompilePart(0);
        else
        {
            // Parts are taken in turn by as many threads as there are cores: a slow part does not hold the others up.
            int next = -1;
            var workers = Enumerable.Range(0, Math.Min(ranges.Length, threads))
                .Select(_ => Task.Run(() => { for (int p; (p = Interlocked.Increment(ref next)) < ranges.Length;) CompilePart(p); }))
                .ToArray();
            try { Task.WaitAll(workers); }
            catch (AggregateException e) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); }
        }

        // Each part's place in the block, then calls between parts patched.
        var bases = new int[parts.Length];
        long length = 0;
        for (int p = 0; p < parts.Length; p++)
        {
            bases[p] = (int)length;
            length = (length + parts[p].Assembler.Position + 15) & ~15L;
            if (length > Assembler.MaxCodeSize) throw new InvalidOperationException("the code exceeds 1 GiB");
        }
        var offsets = new int[defined.Length];
        for (int p = 0; p < parts.Length; p++)
            for (int k = parts[p].First; k < parts[p].End; k++) offsets[k] = bases[p] + parts[p].functions[k].Offset;
        for (int p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            for (int k = 0; k < defined.Length; k++)
                if (k < part.First || k >= part.End) part.Assembler.BindOutside(part.functions[k], offsets[k] - bases[p]);
            if (part.Assembler.UnresolvedFixups != 0)
                throw new InvalidOperationException($"{part.Assembler.UnresolvedFixups} jumps to labels never bound");
        }
        var callReturns = new List<int>();
        var callRoots = new List<int[]>();
        for (int p = 0; p < parts.Length; p++)
            foreach (var (ret, roots) in parts[p].callSites) { callReturns.Add(bases[p] + ret); callRoots.Add(roots); }
        var code = CodeMemory.Create((int)length, parts.Select((part, p) => (bases[p], part.Assembler.Bytes)), 0xCC);
        module.Install(code, offsets, sites.ToArray(), notCompiled, [.. callReturns], [.. callRoots]);
        module.CompileTime = clock.Elapsed;
        module.CompileCpuTime = ThreadClock.Now() - cpu + TimeSpan.FromTicks(partCpu.Sum());
        module.Parts = parts.Length;
        if (options.Listing)
        {
            var bytes = parts[0].Assembler.Code.ToArray();
            var ends = offsets.Skip(1).Append(parts[0].Assembler.Position).ToArray();
            module.Listings = [.. Enumerable.Range(0, offsets.Length).Select(k => new JitListing(
                parts[0].ImportCount + k, (ulong)(code.Address + offsets[k]), bytes[offsets[k]..ends[k]],
                [.. marks[k].Select(m => m with { Offset = m.Offset - offsets[k] })], notCompiled[k]))];
        }
    }

    /// <summary>At most this many threads compile one module.</summary>
    const int MaxThreads = 8;

    /// <summary>A part smaller than this many outermost instructions is not worth a thread of its own.</summary>
    const long MinPart = 16_384;

    /// <summary>Consecutive runs of functions of about equal size: one run when the module is small or one thread
    /// is all there is, else four for each thread, so that threads finishing early take more.</summary>
    static (int First, int End, long Outermost)[] Partition(long[] sizes, long total, int threads)
    {
        int count = threads <= 1 ? 1 : (int)Math.Clamp(total / MinPart, 1, 4 * threads);
        var ranges = new List<(int, int, long)>();
        int first = 0;
        long taken = 0, partSize = 0;
        for (int k = 0; k < sizes.Length; k++)
        {
            taken += sizes[k];
            partSize += sizes[k];
            // Close a part once the running total has passed its share of the whole.
            if (ranges.Count < count - 1 && taken * count >= total * (ranges.Count + 1))
            {
                ranges.Add((first, k + 1, partSize));
                first = k + 1;
                partSize = 0;
            }
        }
        ranges.Add((first, sizes.Length, partSize));
        return [.. ranges];
    }

    /// <summary>Compiles this part's functions, recording why any could not be and, with listings, their marks.</summary>
    void Compile(string?[] notCompiled, List<JitMark>[] marks)
    {
        var a = Assembler;
        for (int k = First; k < End; k++)
        {
            a.Align(16);
            int start = a.Position;
            if (listing) Marks = marks[k] = [];
            int callSiteMark = callSites.Count;
            try
            {
                new FunctionCompiler(this, Module.Defined[k], k).Compile();
            }
            catch (Exception e) when (e is NotCompiledException or InvalidOperationException or ArgumentException)
            {
                // Something the compiler cannot do, or a fault of its own: either way reported, never run otherwise.
                // (Helper sites it made stay in the table, unused.)
                a.Rewind(start);
                callSites.RemoveRange(callSiteMark, callSites.Count - callSiteMark);
                if (!functions[k].IsBound) a.Bind(functions[k]);
                notCompiled[k] = e is NotCompiledException ? e.Message : $"compiler error: {e.GetType().Name}: {e.Message}";
                Marks?.Clear();
                EmitNotCompiled(k);
            }
        }
        a.Align(16);
        foreach (var ((lo, hi), label) in constants)
        {
            a.Bind(label);
            a.Emit64(lo);
            a.Emit64(hi);
        }
    }

    /// <summary>The entry of a function that could not be compiled: calling it reports that (status Abort).</summary>
    void EmitNotCompiled(int k)
    {
        var a = Assembler;
        a.Push(X64.Reg.Rbp);
        a.Mov(Width.W64, X64.Reg.Rbp, X64.Reg.Rsp);
        a.Alu(AluOp.And, Width.W64, X64.Reg.Rsp, -16);
        a.Mov(Width.W64, X64.Reg.Rdi, X64.Reg.R14);
        a.MovImm(X64.Reg.Rsi, (ulong)Module.Handle);
        a.MovImm(X64.Reg.Rdx, (ulong)k);
        a.MovImm(X64.Reg.R11, (ulong)HelperAddresses.NotCompiled);
        a.Call(X64.Reg.R11);
        a.MovImm(X64.Reg.R11, (ulong)Stubs.Unwind);
        a.Jmp(X64.Reg.R11);
    }
}

/// <summary>A function the JIT could not compile was called: the run fails with the reason, it is not run another way.</summary>
public sealed class JitUnsupportedException(string reason)
    : WasmException(Phase.Execute, "not compiled: " + reason, null);

/// <summary>The compiled code of one module instance and what the runtime needs to run and inspect it.</summary>
internal sealed unsafe class JitModule
{
    public readonly ModuleInstance Instance;
    public readonly Store Store;
    /// <summary>The instance's own functions (its imports are not compiled here).</summary>
    public readonly FuncInst[] Defined;
    readonly GCHandle self;

    public JitModule(Store store, ModuleInstance instance)
    {
        Store = store;
        Instance = instance;
        Defined = [.. instance.Funcs.Where(f => ReferenceEquals(f.Module, instance) && f.Code is not null)];
        self = GCHandle.Alloc(this, GCHandleType.Weak);
    }

    ~JitModule()
    {
        if (Code is not null) CodeRegistry.Remove(this);
        self.Free();
        Code?.Dispose();
    }

    /// <summary>A weak handle to this module, which its code passes to helpers.</summary>
    public nint Handle => GCHandle.ToIntPtr(self);

    public static JitModule FromHandle(nint handle) => (JitModule)GCHandle.FromIntPtr(handle).Target!;

    public CodeMemory? Code { get; private set; }
    /// <summary>Where each defined function starts in <see cref="Code"/>.</summary>
    public int[] Offsets { get; private set; } = [];
    /// <summary>What each runtime instruction site needs (its instruction).</summary>
    public object[] Sites { get; private set; } = [];
    /// <summary>How long compiling the instance took (code memory included).</summary>
    public TimeSpan CompileTime { get; set; }
    /// <summary>The processor time compiling took, over every thread that compiled a part.</summary>
    public TimeSpan CompileCpuTime { get; set; }
    /// <summary>How many parts the functions were compiled in (on as many threads as there are cores, at most).</summary>
    public int Parts { get; set; } = 1;
    /// <summary>What jit-dump shows of each defined function, when listings were kept.</summary>
    public IReadOnlyList<JitListing> Listings { get; set; } = [];
    /// <summary>Why a defined function was not compiled, or null.</summary>
    public string?[] NotCompiled { get; private set; } = [];

    public void Install(CodeMemory code, int[] offsets, object[] sites, string?[] notCompiled, int[] callReturns, int[][] callRoots)
    {
        Code = code;
        this.callReturns = callReturns;
        this.callRoots = callRoots;
        Offsets = offsets;
        Sites = sites;
        NotCompiled = notCompiled;
        for (int k = 0; k < Defined.Length; k++) Defined[k].Slot.Cell->Entry = code.Address + offsets[k];
        CodeRegistry.Add(this);
    }

    int[] callReturns = [];
    int[][] callRoots = [];

    /// <summary>Where the references of the frame that called at return address <paramref name="pc"/> are (offsets from its rbp).</summary>
    public int[] RootsAt(nint pc)
    {
        int at = Array.BinarySearch(callReturns, (int)(pc - Code!.Address));
        return at >= 0 ? callRoots[at] : [];
    }

    /// <summary>The defined function whose code contains <paramref name="pc"/>, or -1.</summary>
    public int FunctionAt(nint pc)
    {
        if (Code is null || pc < Code.Address || pc >= Code.Address + Code.Length) return -1;
        int offset = (int)(pc - Code.Address);
        int lo = 0, hi = Offsets.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (Offsets[mid] <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return found;
    }
}

/// <summary>Which compiled module holds a code address: for backtraces, which walk the frames of native code.</summary>
internal static class CodeRegistry
{
    static readonly List<WeakReference<JitModule>> Modules = [];

    public static void Add(JitModule m)
    {
        lock (Modules) Modules.Add(new WeakReference<JitModule>(m));
    }

    public static void Remove(JitModule m)
    {
        lock (Modules) Modules.RemoveAll(w => !w.TryGetTarget(out var t) || ReferenceEquals(t, m));
    }

    /// <summary>The compiled module whose code contains <paramref name="pc"/>, or null.</summary>
    public static JitModule? ModuleAt(nint pc)
    {
        lock (Modules)
            foreach (var w in Modules)
                if (w.TryGetTarget(out var m) && m.FunctionAt(pc) >= 0) return m;
        return null;
    }

    /// <summary>The function whose compiled code contains <paramref name="pc"/>, or null.</summary>
    public static FuncInst? FunctionAt(nint pc)
    {
        lock (Modules)
            foreach (var w in Modules)
                if (w.TryGetTarget(out var m) && m.FunctionAt(pc) is var k and >= 0)
                    return m.Defined[k];
        return null;
    }
}

/// <summary>What each helper site of a module's code needs at run time, by the index its code carries: added to by
/// every part compiled, on whatever thread.</summary>
internal sealed class SiteTable
{
    readonly List<object> sites = [];

    public int Add(object info)
    {
        lock (sites)
        {
            sites.Add(info);
            return sites.Count - 1;
        }
    }

    public object[] ToArray()
    {
        lock (sites) return [.. sites];
    }
}
