using System.Collections.Immutable;

namespace Spec.Syntax;

/// <summary>
/// Structural equality for the <see cref="ImmutableArray{T}"/> fields of syntax records:
/// ImmutableArray compares by reference, the spec's sequences compare element by element.
/// </summary>
public static class Sequences
{
    public static bool Equal<T>(ImmutableArray<T> a, ImmutableArray<T> b)
    {
        if (a.IsDefaultOrEmpty || b.IsDefaultOrEmpty) return a.IsDefaultOrEmpty == b.IsDefaultOrEmpty;
        return a.AsSpan().SequenceEqual(b.AsSpan(), EqualityComparer<T>.Default);
    }

    public static bool Equal<T>(ImmutableArray<T>? a, ImmutableArray<T>? b) =>
        a is { } x ? b is { } y && Equal(x, y) : b is null;

    public static int Hash<T>(ImmutableArray<T> a)
    {
        if (a.IsDefaultOrEmpty) return 0;
        var h = new HashCode();
        h.Add(a.Length);
        foreach (var x in a) h.Add(x);
        return h.ToHashCode();
    }

    public static int Hash<T>(ImmutableArray<T>? a) => a is { } x ? Hash(x) + 1 : 0;

    /// <summary>The empty sequence when <paramref name="a"/> is default, so consumers never see a default array.</summary>
    public static ImmutableArray<T> OrEmpty<T>(this ImmutableArray<T> a) => a.IsDefault ? [] : a;
}
