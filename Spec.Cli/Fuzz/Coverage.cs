using Spec.BinaryFormat;

namespace Spec.Cli.Fuzz;

/// <summary>Wasm 3.0's opcodes by their text mnemonics (the proposals' left out), for coverage reports.</summary>
internal static class Coverage
{
    // The opcodes with immediates; those without come from the binary format's own table.
    static readonly string[] WithImmediates =
    [
        "block", "loop", "if", "br", "br_if", "br_table", "br_on_null", "br_on_non_null", "br_on_cast", "br_on_cast_fail",
        "call", "call_ref", "call_indirect", "return_call", "return_call_ref", "return_call_indirect", "throw", "try_table",
        "select", "local.get", "local.set", "local.tee", "global.get", "global.set",
        "table.get", "table.set", "table.size", "table.grow", "table.fill", "table.copy", "table.init", "elem.drop",
        "i32.load", "i64.load", "f32.load", "f64.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u",
        "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u", "i64.load32_s", "i64.load32_u",
        "i32.store", "i64.store", "f32.store", "f64.store", "i32.store8", "i32.store16", "i64.store8", "i64.store16", "i64.store32",
        "memory.size", "memory.grow", "memory.fill", "memory.copy", "memory.init", "data.drop",
        "i32.const", "i64.const", "f32.const", "f64.const", "v128.const", "i8x16.shuffle",
        "v128.load", "v128.load8x8_s", "v128.load8x8_u", "v128.load16x4_s", "v128.load16x4_u", "v128.load32x2_s", "v128.load32x2_u",
        "v128.load8_splat", "v128.load16_splat", "v128.load32_splat", "v128.load64_splat", "v128.load32_zero", "v128.load64_zero",
        "v128.store", "v128.load8_lane", "v128.load16_lane", "v128.load32_lane", "v128.load64_lane",
        "v128.store8_lane", "v128.store16_lane", "v128.store32_lane", "v128.store64_lane",
        "i8x16.extract_lane_s", "i8x16.extract_lane_u", "i16x8.extract_lane_s", "i16x8.extract_lane_u", "i32x4.extract_lane",
        "i64x2.extract_lane", "f32x4.extract_lane", "f64x2.extract_lane", "i8x16.replace_lane", "i16x8.replace_lane",
        "i32x4.replace_lane", "i64x2.replace_lane", "f32x4.replace_lane", "f64x2.replace_lane",
        "ref.null", "ref.test", "ref.cast", "ref.func", "struct.new", "struct.new_default", "struct.get", "struct.get_s",
        "struct.get_u", "struct.set", "array.new", "array.new_default", "array.new_fixed", "array.new_data", "array.new_elem",
        "array.get", "array.get_s", "array.get_u", "array.set", "array.fill", "array.copy", "array.init_data", "array.init_elem",
    ];

    static readonly HashSet<string> Proposals = ["i64.add128", "i64.sub128", "i64.mul_wide_s", "i64.mul_wide_u"];

    /// <summary>Every opcode of Wasm 3.0, by mnemonic.</summary>
    public static readonly IReadOnlySet<string> Wasm3 =
        Opcodes.ByInstr.Values.Select(e => e.Name).Where(n => !Proposals.Contains(n)).Concat(WithImmediates).ToHashSet(StringComparer.Ordinal);
}
