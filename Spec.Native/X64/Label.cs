namespace Spec.Native.X64;

// A position in an Assembler's code that branches and RIP-relative operands refer to, possibly before it is known.

/// <summary>
/// A code position, made by <see cref="Assembler.NewLabel"/> and bound once by <see cref="Assembler.Bind"/>.
/// References to it made before it is bound are rel32 fixups that Bind patches.
/// </summary>
public sealed class Label
{
    internal readonly Assembler Owner;
    internal int offset;
    internal bool bound;
    // The head of this label's chain of pending fixups in the owner's fixup table; -1 when there are none.
    internal int pending = -1;

    internal Label(Assembler owner) => Owner = owner;

    public bool IsBound => bound;

    /// <summary>The bound position, in bytes from the start of the code (negative, or past its end, for a position
    /// in code placed beside it: <see cref="Assembler.BindOutside"/>).</summary>
    public int Offset => bound ? offset : throw new InvalidOperationException("the label is not bound");

    public override string ToString() => bound ? $"L@{offset}" : "L@unbound";
}
