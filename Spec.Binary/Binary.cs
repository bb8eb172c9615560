using Spec.Syntax;

namespace Spec.BinaryFormat;

/// <summary>§5 The binary format: decoding bytes into a <see cref="Module"/> and encoding one back.</summary>
public static class Binary
{
    /// <summary>Decodes a module (grammar Bmodule). Throws only <see cref="DecodeException"/>, whatever the input.</summary>
    public static Module Decode(ReadOnlySpan<byte> bytes) => Decoder.DecodeModule(bytes, null);

    /// <summary>Decodes a module reading the encodings of the proposals <paramref name="features"/> switches on; those of
    /// the others are malformed (<see cref="Decode(ReadOnlySpan{byte})"/> reads Wasm 3.0 exactly).</summary>
    public static Module Decode(ReadOnlySpan<byte> bytes, Features features) => Decoder.DecodeModule(bytes, null, features);

    /// <summary>
    /// Encodes a module so that <see cref="Decode"/> gives back an equal record. Throws <see cref="ArgumentException"/>
    /// for what the binary format cannot express: semantic types (RecIdx, DefType, BOT), shared memories,
    /// custom page sizes, alignment exponents of 64 or more, shuffles without 16 lanes.
    /// </summary>
    public static byte[] Encode(Module m) => Encoder.EncodeModule(m);

    /// <summary>
    /// The byte offset of each function body in a binary module, in the code section's order (the first defined
    /// function first): where a backtrace points. Reads section sizes only; the module is expected to have decoded.
    /// </summary>
    public static System.Collections.Immutable.ImmutableArray<int> FunctionBodyOffsets(ReadOnlySpan<byte> bytes) => Decoder.BodyStarts(bytes);
}

/// <summary>A malformed binary module: <see cref="WasmException.Reason"/> is the testsuite's message, the position its byte offset.</summary>
public sealed class DecodeException(string reason, long offset)
    : WasmException(Phase.Decode, reason, $"0x{offset:x}")
{
    /// <summary>The byte offset at which decoding failed.</summary>
    public long Offset { get; } = offset;
}
