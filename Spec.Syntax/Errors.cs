namespace Spec.Syntax;

/// <summary>Where in the pipeline an error arose; wast-run reports it as the failure's phase.</summary>
public enum Phase { Parse, Decode, Validate, Link, Instantiate, Execute }

/// <summary>
/// The root of every error a user can cause. <see cref="Reason"/> is the testsuite's wording
/// ("unexpected end", "type mismatch", "unreachable executed"); <see cref="Position"/> says where.
/// </summary>
public abstract class WasmException(Phase phase, string reason, string? position, Exception? inner = null)
    : Exception(position is null ? reason : $"{position}: {reason}", inner)
{
    public Phase Phase { get; } = phase;
    public string Reason { get; } = reason;
    public string? Position { get; } = position;
}
