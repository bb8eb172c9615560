using Spec.Syntax;
using NUnit.Framework;
using Spec.TextFormat;

namespace Spec.Execution.Tests;

/// <summary>
/// The store's limits on everything a module can claim (StorePolicy): reaching one is exhaustion naming the limit, or
/// a failing grow; GC objects are counted at their packed size and given back when reclaimed.
/// </summary>
[TestFixtureSource(typeof(Engines), nameof(Engines.All))]
public class LimitsTests(IEngine engine)
{
    (Store Store, ModuleInstance Instance) Instantiate(string wat, StorePolicy? policy = null, Store? store = null)
    {
        store ??= new Store(engine, policy);
        return (store, Instantiation.Instantiate(store, Text.Parse(wat), [], Features.All));
    }

    static IReadOnlyList<Value> Call(Store s, ModuleInstance m, string name, params Value[] args) =>
        Embedding.Invoke(s, (ExternVal.Func)m.Export(name)!, args);

    static ExhaustionException LimitReached(TestDelegate action, string limit)
    {
        var e = Assert.Throws<ExhaustionException>(action)!;
        Assert.That(e.Code, Is.EqualTo(TrapCode.StoreLimit));
        Assert.That(e.Reason, Does.StartWith("store limit reached: " + limit + " = "));
        return e;
    }

    [TestCase("i8", 1)] [TestCase("i16", 2)] [TestCase("i32", 4)] [TestCase("f64", 8)] [TestCase("v128", 16)] [TestCase("anyref", 8)]
    public void ArrayElementsCountAtTheirSize(string type, int size)
    {
        const int length = 16 << 20;
        var (s, m) = Instantiate($$"""
            (module (type $a (array (mut {{type}})))
              (global $keep (mut (ref null $a)) (ref.null $a))
              (func (export "make") (param i32) (global.set $keep (array.new_default $a (local.get 0)))))
            """, new StorePolicy { MaxGcHeapBytes = 1L << 40 });
        Call(s, m, "make", Value.I32(length));
        Assert.That(s.Claims.Heap.LiveBytes, Is.EqualTo(GcHeap.ObjectBytes + (long)length * size));
    }

    [Test]
    public void StructFieldsArePacked()
    {
        var (s, m) = Instantiate("""
            (module (type $s (struct (field i8) (field i16) (field i32) (field i64) (field v128) (field anyref) (field (mut i8))))
              (global $keep (mut (ref null $s)) (ref.null $s))
              (func (export "make") (result i32)
                (global.set $keep (struct.new $s (i32.const 0x1ff) (i32.const -1) (i32.const 3) (i64.const 4) (v128.const i64x2 5 6)
                                                 (ref.i31 (i32.const 7)) (i32.const 0x80)))
                (i32.add (i32.add (struct.get_u $s 0 (global.get $keep)) (struct.get_s $s 1 (global.get $keep)))
                         (struct.get_s $s 6 (global.get $keep)))))
            """);
        Assert.That(Call(s, m, "make")[0].AsI32, Is.EqualTo(0xff - 1 - 0x80), "packed fields wrap on the way in and extend on the way out");
        Assert.That(s.Claims.Heap.LiveBytes, Is.EqualTo(GcHeap.ObjectBytes + 1 + 2 + 4 + 8 + 16 + 8 + 1));
    }

    [Test]
    public void AnArrayPastTheGcHeapLimitIsExhaustion()
    {
        var (s, m) = Instantiate("""
            (module (type $a (array (mut i8)))
              (func (export "make") (param i32) (drop (array.new_default $a (local.get 0)))))
            """, new StorePolicy { MaxGcHeapBytes = 1 << 20 });
        Call(s, m, "make", Value.I32(1000));
        LimitReached(() => Call(s, m, "make", Value.I32(2 << 20)), nameof(StorePolicy.MaxGcHeapBytes));
    }

    [Test]
    public void GarbageIsGivenBackSoALoopOfAllocationsFitsUnderTheLimit()
    {
        // 400 arrays of 64 KiB each, 25 MiB in all, through a 1 MiB heap: only the last few are ever live.
        var (s, m) = Instantiate("""
            (module (type $a (array (mut i8)))
              (func (export "churn") (param $n i32) (local $keep (ref null $a))
                (loop $l
                  (local.set $keep (array.new_default $a (i32.const 65536)))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
            """, new StorePolicy { MaxGcHeapBytes = 1 << 20 });
        Assert.DoesNotThrow(() => Call(s, m, "churn", Value.I32(400)));
        Assert.That(s.Claims.Heap.LiveBytes, Is.LessThanOrEqualTo(1 << 20));
    }

    [Test]
    public void TablesTogetherAreBoundedNotJustEach()
    {
        var tables = string.Concat(Enumerable.Repeat("(table 10000000 funcref)", 100));
        var e = LimitReached(() => Instantiate($"(module {tables})"), nameof(StorePolicy.MaxTableElements));
        Assert.That(e.Reason, Does.Contain("10000000"));

        var (s, m) = Instantiate("""
            (module (table $t 10 funcref) (table $u 10 funcref)
              (func (export "grow") (param i32) (result i32) (table.grow $u (ref.null func) (local.get 0))))
            """, new StorePolicy { MaxTableElements = 100 });
        Assert.That(Call(s, m, "grow", Value.I32(81))[0].AsI32, Is.EqualTo(-1), "past the store's total, table.grow fails");
        Assert.That(Call(s, m, "grow", Value.I32(80))[0].AsI32, Is.EqualTo(10));
        Assert.That(s.Claims.TableElements, Is.EqualTo(100UL));
    }

    [Test]
    public void MemoriesTogetherAreBounded()
    {
        const ulong page = 65536;
        var (s, m) = Instantiate("""
            (module (memory $a 4) (memory $b 4)
              (func (export "grow") (param i32) (result i32) (memory.grow $b (local.get 0))))
            """, new StorePolicy { MaxMemoryBytes = 10 * page });
        Assert.That(Call(s, m, "grow", Value.I32(3))[0].AsI32, Is.EqualTo(-1), "past the store's total, memory.grow fails");
        Assert.That(Call(s, m, "grow", Value.I32(2))[0].AsI32, Is.EqualTo(4));
        Assert.That(s.Claims.MemoryBytes, Is.EqualTo(10 * page));
        LimitReached(() => Instantiate("(module (memory 1))", store: s), nameof(StorePolicy.MaxMemoryBytes));
    }

    [Test]
    public void InstancesMemoriesAndTablesAreCounted()
    {
        var s = new Store(engine, new StorePolicy { MaxInstances = 4, MaxMemories = 2, MaxTables = 1 });
        Instantiate("(module (memory 0) (table 0 funcref))", store: s);
        LimitReached(() => Instantiate("(module (table 0 funcref))", store: s), nameof(StorePolicy.MaxTables));
        Instantiate("(module (memory 0))", store: s);
        LimitReached(() => Instantiate("(module (memory 0))", store: s), nameof(StorePolicy.MaxMemories));
        Assert.That(s.Claims.Instances, Is.EqualTo(4), "an instance is counted before its memories and tables, even if they fail");
        LimitReached(() => Instantiate("(module)", store: s), nameof(StorePolicy.MaxInstances));
    }
}
