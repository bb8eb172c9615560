using Spec.BinaryFormat;
using Spec.Syntax;
using Spec.TextFormat;
using Spec.Validation;

namespace Spec.Wast;

/// <summary>The implementations the runner uses: the phases that exist so far, and the engine for a name.
/// Commands whose phase or engine is missing here are counted as skipped.</summary>
internal static class Pipeline
{
    public static Frontend Frontend { get; } = For(Features.Default);

    /// <summary>The phases as <paramref name="features"/> restricts them.</summary>
    public static Frontend For(Features features) => new(
        ParseText: utf8 => Text.Parse(utf8, features),
        Decode: bytes => Binary.Decode(bytes, features),
        Validate: module => Validator.Validate(module, features),
        ValidateCustom: Validator.ValidateCodeMetadata);

    /// <summary>A fresh engine (its own store) of the kind --engine names, or null if it is not available;
    /// <paramref name="trace"/> sees every reduction rule it applies; its store stops everything after <paramref name="timeout"/>.</summary>
    public static IScriptEngine? Engine(string name, Features? features = null, Action<string>? trace = null, TimeSpan? timeout = null,
        bool exact = false) => name switch
    {
        "interp" => new StoreEngine(features: features, trace: trace, timeout: timeout, exact: exact),
        // Fuel keeps a runaway loop of a script from hanging the run, on both engines alike.
        "jit" => new StoreEngine(new Native.Jit(new Native.JitOptions { Fuel = true }), features: features, trace: trace, timeout: timeout),
        _ => null,
    };

    /// <summary>Why the engine --engine names cannot run, or null if it can.</summary>
    public static string? Unavailable(string name) => name == "jit" ? Native.Jit.Unsupported : null;
}
