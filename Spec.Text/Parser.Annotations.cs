using System.Collections.Immutable;
using Spec.Syntax;

namespace Spec.TextFormat;

// Appendix, custom annotations: (@custom name placement? datastring) at module-field level becomes a custom
// section; (@name "n") after the id (or keyword) of a module, type, field, function, parameter, local or tag gives
// its debug name in Module.Names. Other annotations are ignored.

internal sealed partial class Parser
{
    /// <summary>The outermost annotations of the source, in order, with the index of the token each precedes.</summary>
    private readonly List<Annotation> annots = [];
    private readonly HashSet<Annotation> usedAnnots = [];
    private readonly List<CustomSection> customs = [];

    internal Parser(List<Token> tokens, List<Annotation> annotations) : this(tokens) { annots = annotations; }

    private ILookup<int, Annotation>? annotsAt;

    private IEnumerable<Annotation> AnnotationsAt(int index, string id) =>
        annots.Count == 0 ? [] : (annotsAt ??= annots.ToLookup(a => a.TokenIndex))[index].Where(a => a.Id == id && !usedAnnots.Contains(a));

    /// <summary>The name given by "(@name string)" right at the cursor, if any.</summary>
    private string? NameAnnotation(string what)
    {
        var found = AnnotationsAt(pos, "name").ToList();
        if (found.Count == 0) return null;
        if (found.Count > 1) throw found[1].Start.Error($"@name annotation: multiple {what}");
        var a = found[0];
        usedAnnots.Add(a);
        if (a.Body is not [{ Kind: TokenKind.String } s]) throw a.Start.Error("@name annotation: malformed name");
        return Lexer.DecodeUtf8(s.Bytes ?? []) ?? throw s.Error("@name annotation: malformed UTF-8 encoding");
    }

    /// <summary>The custom sections of the "(@custom ...)" annotations between module fields at the cursor.</summary>
    private void CustomAnnotations()
    {
        foreach (var a in AnnotationsAt(pos, "custom").ToList())
        {
            usedAnnots.Add(a);
            customs.Add(CustomSection(a));
        }
    }

    // "(@custom" name ("(" ("before" | "after") sectionkind ")")? datastring ")"; without placement: after the last section.
    private static CustomSection CustomSection(Annotation a)
    {
        var b = a.Body;
        if (b.Count == 0 || b[0].Kind != TokenKind.String) throw (b.Count > 0 ? b[0] : a.Start).Error("@custom annotation: missing section name");
        var name = Lexer.DecodeUtf8(b[0].Bytes ?? []) ?? throw b[0].Error("@custom annotation: malformed UTF-8 encoding");
        int i = 1;
        var after = SectionId.Data;
        if (i < b.Count && b[i].Kind == TokenKind.LParen)
        {
            if (i + 1 >= b.Count || b[i + 1] is not { Kind: TokenKind.Keyword, Text: "before" or "after" } rel)
                throw b[Math.Min(i + 1, b.Count - 1)].Error("@custom annotation: malformed placement");
            if (i + 2 >= b.Count || b[i + 2].Kind != TokenKind.Keyword || SectionOrder(b[i + 2].Text) is not { } k)
                throw b[Math.Min(i + 2, b.Count - 1)].Error("@custom annotation: malformed section kind");
            if (i + 3 >= b.Count || b[i + 3].Kind != TokenKind.RParen) throw b[Math.Min(i + 3, b.Count - 1)].Error("@custom annotation: unexpected token");
            after = Order[Math.Clamp(rel.Text == "after" ? k : k - 1, 0, Order.Length - 1)];
            i += 4;
        }
        var content = ImmutableArray.CreateBuilder<byte>();
        for (; i < b.Count; i++)
        {
            if (b[i].Kind != TokenKind.String) throw b[i].Error("@custom annotation: unexpected token");
            content.AddRange(b[i].Bytes ?? []);
        }
        return new CustomSection(name, content.ToImmutable(), after);
    }

    /// <summary>The sections in binary order; a custom section "before" one sits after its predecessor (Custom: before all).</summary>
    private static readonly SectionId[] Order =
    [
        SectionId.Custom, SectionId.Type, SectionId.Import, SectionId.Function, SectionId.Table, SectionId.Memory, SectionId.Tag,
        SectionId.Global, SectionId.Export, SectionId.Start, SectionId.Element, SectionId.DataCount, SectionId.Code, SectionId.Data,
    ];

    private static int? SectionOrder(string kind) => kind switch
    {
        "first" => 0, "type" => 1, "import" => 2, "func" => 3, "table" => 4, "memory" => 5, "tag" => 6, "global" => 7,
        "export" => 8, "start" => 9, "elem" => 10, "datacount" => 11, "code" => 12, "data" => 13, "last" => 14,
        _ => null,
    };

    /// <summary>Any @custom or @name annotation inside the module's tokens that no rule consumed is misplaced.</summary>
    private void CheckAnnotationsUsed(int begin, int end)
    {
        foreach (var a in annots)
            if (a.TokenIndex >= begin && a.TokenIndex <= end && a.Id is "custom" or "name" && !usedAnnots.Contains(a))
                throw a.Start.Error($"misplaced @{a.Id} annotation");
    }
}
