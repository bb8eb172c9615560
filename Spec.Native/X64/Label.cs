namespace Spec.Native.X64;

// A position in an Assembler's code that branches and RIP-relative operands refer to, possibly before it is known.

/// <summary>
/// A code position, made by <see cref="Assembler.NewLabel"/> and bound once by <see cref="Assembler.Bind"/>.
/// References to it made before it is bound are rel32 fixups that Bind patches.
/// </summary>
public sealed class Label
{
    internal readonly Assembler Owner;
    internal int offset = -1;
    // The head of this label's chain of pending fixups in the owner's fixup table; -1 when there are none.
    internal int pending = -1;

    internal Label(Assembler owner) => Owner = owner;

    public bool IsBound => offset >= 0;

    /// <summary>The bound position, in bytes from the start of the code.</summary>
    public int Offset => offset >= 0 ? offset : throw new InvalidOperationException("the label is not bound");

    public override string ToString() => offset >= 0 ? $"L@{offset}" : "L@unbound";
}
