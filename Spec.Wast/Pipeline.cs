using Spec.BinaryFormat;
using Spec.TextFormat;
using Spec.Validation;

namespace Spec.Wast;

/// <summary>The implementations the runner uses: the phases that exist so far, and the engine for a name.
/// Commands whose phase or engine is missing here are counted as skipped.</summary>
internal static class Pipeline
{
    public static Frontend Frontend { get; } = new(
        ParseText: utf8 => Text.Parse(utf8),
        Decode: bytes => Binary.Decode(bytes),
        Validate: module => Validator.Validate(module));

    /// <summary>The engine --engine names, or null while none can run modules.</summary>
    public static IEngine? Engine(string name) => null;
}
