using System.Buffers.Binary;

namespace Spec.Native.X64;

// The x86-64 emitter's buffer and labels. The instructions are in the partial files by group (Integer, Control,
// Sse); how any instruction becomes bytes (prefixes, REX, opcode, ModRM, SIB, displacement) is Encoding.cs alone.

/// <summary>
/// Emits x86-64 machine code into a growable buffer. Instructions are methods named after the mnemonic, operands
/// in Intel order (destination first). Branches and RIP-relative operands refer to <see cref="Label"/>s; a label
/// not yet bound is referred to by a rel32 that <see cref="Bind"/> patches. Whatever cannot be encoded is
/// rejected with an <see cref="ArgumentException"/>; nothing is emitted then.
/// </summary>
public sealed partial class Assembler
{
    byte[] buffer;
    int position;

    // Pending rel32 references to unbound labels, one chain per label through Next (a label's chain head is in the
    // label). Entries a Bind resolved are chained into a free list and used again, so the table is as large as the
    // most references ever pending at once, and an instruction does not allocate.
    struct Fixup
    {
        public int At;      // where the rel32 is
        public int Base;    // the patched value is the label's offset minus Base
        public int Next;    // the label's next pending fixup, or -1
        public bool Dead;   // its code was taken back by Rewind
    }

    Fixup[] fixups = new Fixup[16];
    int fixupCount;
    int freeFixups = -1;
    int unresolved;

    public Assembler(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        buffer = GC.AllocateUninitializedArray<byte>(Math.Max(capacity, 64)); // every byte is written before it is read
    }

    /// <summary>The number of bytes emitted so far: where the next instruction goes.</summary>
    public int Position => position;

    /// <summary>The code emitted so far; references to labels not yet bound read as zero.</summary>
    public ReadOnlySpan<byte> Code => new(buffer, 0, position);

    /// <summary>The same code as <see cref="Code"/>, for copying later (it changes if more is emitted).</summary>
    public ReadOnlyMemory<byte> Bytes => new(buffer, 0, position);

    /// <summary>References to labels that are not bound yet.</summary>
    public int UnresolvedFixups => unresolved;

    /// <summary>A copy of the code; throws while a referenced label is unbound, since that code would jump to garbage.</summary>
    public byte[] ToArray() =>
        unresolved == 0 ? Code.ToArray()
        : throw new InvalidOperationException($"{unresolved} reference(s) to labels that were never bound");

    public void Emit8(byte value)
    {
        Ensure(1);
        buffer[position++] = value;
    }

    public void Emit32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(position), value);
        position += 4;
    }

    public void Emit64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(position), value);
        position += 8;
    }

    /// <summary>Pads with <paramref name="fill"/> (int3 by default, so a stray jump into padding traps) up to a multiple of <paramref name="n"/>.</summary>
    public void Align(int n, byte fill = 0xCC)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        int pad = (n - position % n) % n;
        Ensure(pad);
        buffer.AsSpan(position, pad).Fill(fill);
        position += pad;
    }

    /// <summary>Overwrites the four bytes at <paramref name="at"/> (little-endian), e.g. a displacement known only later.</summary>
    public void PatchInt32(int at, int value)
    {
        if ((uint)at > (uint)(position - 4)) throw new ArgumentOutOfRangeException(nameof(at), at, "not inside the emitted code");
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), value);
    }

    // ---- Labels ----

    public Label NewLabel() => new(this);

    /// <summary>Binds <paramref name="label"/> at <see cref="Position"/> and patches every reference made to it so far.</summary>
    public void Bind(Label label) => BindAt(label, position);

    /// <summary>Binds <paramref name="label"/> to <paramref name="offset"/> bytes from the start of this code, outside
    /// it: code assembled apart and placed beside this one (before it, for a negative offset) when both are copied
    /// into one block. References to it are patched as for <see cref="Bind"/>.</summary>
    public void BindOutside(Label label, int offset)
    {
        if (offset >= 0 && offset < position) throw new ArgumentOutOfRangeException(nameof(offset), offset, "inside this code");
        BindAt(label, offset);
    }

    void BindAt(Label label, int offset)
    {
        CheckOwn(label);
        if (label.IsBound) throw new InvalidOperationException($"the label is already bound at {label.offset}");
        label.offset = offset;
        label.bound = true;
        for (int f = label.pending; f >= 0;)
        {
            int next = fixups[f].Next;
            if (!fixups[f].Dead)
            {
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(fixups[f].At), offset - fixups[f].Base);
                unresolved--;
            }
            // Out of every chain now: free for another reference.
            fixups[f] = new Fixup { Dead = true, Next = freeFixups };
            freeFixups = f;
            f = next;
        }
        label.pending = -1;
    }

    /// <summary>
    /// Takes back everything emitted from <paramref name="at"/> on (a function the compiler gave up on): references
    /// made there to labels not yet bound are forgotten. Labels bound there stay bound, so they must not be used again
    /// unless they are bound where new code will start (at <paramref name="at"/> itself).
    /// </summary>
    public void Rewind(int at)
    {
        if ((uint)at > (uint)position) throw new ArgumentOutOfRangeException(nameof(at), at, "not inside the emitted code");
        for (int f = 0; f < fixupCount; f++)
            if (!fixups[f].Dead && fixups[f].At >= at)
            {
                fixups[f].Dead = true;
                unresolved--;
            }
        position = at;
    }

    void CheckOwn(Label label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Owner != this) throw new ArgumentException("the label belongs to another assembler", nameof(label));
    }

    // Emits the rel32 of a reference to label + disp measured from origin (the end of the instruction).
    void Rel32(Label label, int disp, int origin)
    {
        int at = position;
        if (label.IsBound) Put32(label.offset + disp - origin);
        else
        {
            int f;
            if (freeFixups >= 0) { f = freeFixups; freeFixups = fixups[f].Next; }
            else
            {
                if (fixupCount == fixups.Length) Array.Resize(ref fixups, fixupCount * 2);
                f = fixupCount++;
            }
            fixups[f] = new Fixup { At = at, Base = origin - disp, Next = label.pending };
            label.pending = f;
            unresolved++;
            Put32(0);
        }
    }

    // ---- The buffer ----

    // Enough room for the longest instruction (15 bytes) plus an immediate or rel32 written after it.
    const int MaxInstruction = 32;

    void Ensure(int n)
    {
        if (buffer.Length - position < n) Grow(n);
    }

    /// <summary>The most code one assembler holds, 1 GiB: every rel32 between two of its positions then fits.</summary>
    public const int MaxCodeSize = 1 << 30;

    void Grow(int n)
    {
        if ((long)position + n > MaxCodeSize) throw new InvalidOperationException("the code exceeds 1 GiB");
        var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(MaxCodeSize, Math.Max(2L * buffer.Length, (long)position + n)));
        buffer.AsSpan(0, position).CopyTo(larger);
        buffer = larger;
    }

    // Every caller has made room first (Ensure(MaxInstruction) in the encoders).
    void Put8(int value) => buffer[position++] = (byte)value;

    void Put16(int value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(buffer.AsSpan(position), (short)value);
        position += 2;
    }

    void Put32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(position), value);
        position += 4;
    }

    void Put64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(position), value);
        position += 8;
    }
}
