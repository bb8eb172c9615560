using NUnit.Framework;
using Spec.Execution;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Native.Tests;

// Bounds checks of compiled accesses where the offset is near 2^64 (an i64 memory's memarg offset is 64 bits): the
// offset plus the access's size passes 2^64, so no address is in bounds (Step_read/load-num-oob), whatever the address.

public class MemoryBoundsTests
{
    [Test]
    public void An_access_whose_offset_and_size_pass_2_64_traps_on_memory_0_and_beyond([Values(0u, 1u)] uint mem)
    {
        var b = new ModuleBuilder();
        for (uint m = 0; m < 2; m++) b.Memory(1, AddrType.I64);
        (NumType Type, ulong Offset)[] loads = [(NumType.I32, ulong.MaxValue - 1), (NumType.I64, ulong.MaxValue - 5), (NumType.F32, ulong.MaxValue), (NumType.F64, ulong.MaxValue - 6)];
        foreach (var (t, offset) in loads)
        {
            ValType vt = new NumValType(t);
            b.Func([ValType.I64], [vt], [new LocalGet(0), new Load(t, null, mem, new MemArg(0, offset))], $"load {t}");
            b.Func([ValType.I64], [], [new LocalGet(0), t switch
            {
                NumType.I32 => Const.I32(1), NumType.I64 => Const.I64(1), NumType.F32 => Const.F32(1), _ => Const.F64(1),
            }, new Syntax.Store(t, null, mem, new MemArg(0, offset))], $"store {t}");
        }
        var store = new Store(new global::Spec.Native.Jit());
        var inst = b.Instantiate(store);
        foreach (var (t, _) in loads)
            foreach (var name in new[] { $"load {t}", $"store {t}" })
                foreach (ulong address in new ulong[] { 0, 1, 8, 65535 })
                {
                    var e = Assert.Throws<TrapException>(() => ModuleBuilder.Call(store, inst, name, Value.I64(address)), $"{name} at {address}");
                    Assert.That(e!.Code, Is.EqualTo(TrapCode.OutOfBoundsMemoryAccess));
                }
    }
}
