using Spec.Syntax;

namespace Spec.Validation;

// The restrictions of older bases that a Features profile switches back on (Spec.Syntax.Features). Wasm 3.0 has none
// of them; the rules below are those of the base that had them, checked once the module's index spaces are known.

public static partial class Validator
{
    /// <summary>Module_ok as <paramref name="features"/> restricts it: <see cref="Validate(Module)"/> plus the switched-off features rejected.</summary>
    public static ModuleType Validate(Module m, Features features) => Module_ok(m, features);

    // Module_ok of Wasm 1.0 (|C.mems| <= 1) and of Wasm 2.0 (|C.tables| <= 1 before reference types), and Memtype_ok /
    // Tabletype_ok before memory64 (no address type but i32); imported and defined ones alike.
    static void Features_ok(Context C, Features features)
    {
        C.At("module", "Module_ok");
        if (!features.MultiMemory && C.Mems.Count > 1) C.Fail("multiple memories");
        if (!features.MultiTable && C.Tables.Count > 1) C.Fail("multiple tables");
        if (features.Memory64) return;
        for (var i = 0; i < C.Mems.Count; i++)
            if (C.Mems[i].AddrType == AddrType.I64) { C.At($"memory {i}", "Memtype_ok"); C.Fail("i64 address type requires memory64"); }
        for (var i = 0; i < C.Tables.Count; i++)
            if (C.Tables[i].AddrType == AddrType.I64) { C.At($"table {i}", "Tabletype_ok"); C.Fail("i64 address type requires memory64"); }
    }
}
