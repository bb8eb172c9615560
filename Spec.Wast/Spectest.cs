using System.Collections.Immutable;
using System.Globalization;
using Spec.Execution;
using Spec.Syntax;
using Store = Spec.Execution.Store;

namespace Spec.Wast;

// The "spectest" host module that the testsuite's scripts import from (the spec interpreter's
// host/spectest): print functions, four constant globals, a table, a 64-bit table and memories.
// Every import resolves by name alone, whatever type the importing module asks for, so a mismatch
// is the linker's "incompatible import type" and a name not listed here its "unknown import".

internal static class Spectest
{
    /// <summary>The value of every spectest global: 666 for the integers, 666.6 rounded to the type for floats.</summary>
    const int IntValue = 666;
    const double FloatValue = 666.6;

    /// <summary>Allocates the spectest externals in <paramref name="store"/>; the print functions write to <paramref name="output"/>.</summary>
    public static ImmutableDictionary<string, ExternVal> Exports(Store store, TextWriter output)
    {
        var table = new TableType(AddrType.I32, new Limits(10, 20), RefType.FuncRef);
        var memory = new MemType(AddrType.I32, new Limits(1, 2));
        return new Dictionary<string, ExternVal>
        {
            ["print"] = Print(store, output),
            ["print_i32"] = Print(store, output, ValType.I32),
            ["print_i64"] = Print(store, output, ValType.I64),
            ["print_f32"] = Print(store, output, ValType.F32),
            ["print_f64"] = Print(store, output, ValType.F64),
            ["print_i32_f32"] = Print(store, output, ValType.I32, ValType.F32),
            ["print_f64_f64"] = Print(store, output, ValType.F64, ValType.F64),
            ["global_i32"] = Global(store, ValType.I32, Value.I32(IntValue)),
            ["global_i64"] = Global(store, ValType.I64, Value.I64(IntValue)),
            ["global_f32"] = Global(store, ValType.F32, Value.F32((float)FloatValue)),
            ["global_f64"] = Global(store, ValType.F64, Value.F64(FloatValue)),
            ["table"] = new ExternVal.Table(Embedding.AllocTable(store, table)),
            ["table64"] = new ExternVal.Table(Embedding.AllocTable(store, table with { AddrType = AddrType.I64 })),
            ["memory"] = new ExternVal.Mem(Embedding.AllocMem(store, memory)),
            // The threads proposal's scripts import a shared memory of the same size.
            ["shared_memory"] = new ExternVal.Mem(Embedding.AllocMem(store, memory with { Shared = true })),
        }.ToImmutableDictionary(StringComparer.Ordinal);
    }

    /// <summary>A function of the given parameters and no results that prints its arguments, one per line.</summary>
    static ExternVal Print(Store store, TextWriter output, params ValType[] parameters)
    {
        var type = new FuncType([.. parameters], []);
        return new ExternVal.Func(Embedding.AllocFunc(store, type, args =>
        {
            foreach (var v in args) output.WriteLine(Show(v));
            return [];
        }));
    }

    static ExternVal Global(Store store, ValType type, Value value) =>
        new ExternVal.Global(Embedding.AllocGlobal(store, new GlobalType(Mut.Const, type), value));

    /// <summary>A printed argument as the spec interpreter prints it: the value, then its type.</summary>
    static string Show(Value v) => v.Kind switch
    {
        ValueKind.I32 => $"{v.AsI32.ToString(CultureInfo.InvariantCulture)} : i32",
        ValueKind.I64 => $"{v.AsI64.ToString(CultureInfo.InvariantCulture)} : i64",
        ValueKind.F32 => $"{v.AsF32.ToString("R", CultureInfo.InvariantCulture)} : f32",
        ValueKind.F64 => $"{v.AsF64.ToString("R", CultureInfo.InvariantCulture)} : f64",
        _ => v.ToString(),
    };
}
