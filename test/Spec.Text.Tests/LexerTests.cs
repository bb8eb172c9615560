using NUnit.Framework;
using Spec.TextFormat;

namespace Spec.Text.Tests;

public class LexerTests
{
    private static List<Token> Lex(string s) => Lexer.Tokenize(s);

    private static string Kinds(string s) => string.Join(" ", Lex(s).Select(t => t.Kind));

    [Test]
    public void ClassifiesTokens()
    {
        Assert.That(Kinds("(module $m nop 12 -3 1.5 \"s\" 0x1_0 inf -nan:0x1 0drop $\"q\" a,b)"),
            Is.EqualTo("LParen Keyword Id Keyword Nat Int Float String Nat Float Float Reserved Id Reserved RParen Eof"));
    }

    [Test]
    public void IdsDropTheDollarAndDecodeQuotedNames()
    {
        var t = Lex("$l$l $\"a b\"");
        Assert.That(t[0].Text, Is.EqualTo("l$l"));
        Assert.That(t[1].Text, Is.EqualTo("a b"));
        Assert.That(t[1].Kind, Is.EqualTo(TokenKind.Id));
    }

    [Test]
    public void StringEscapesGiveBytes()
    {
        var t = Lex("\"a\\n\\t\\\\\\'\\\"\\ff\\u{1F600}\\r\"")[0];
        Assert.That(t.Bytes, Is.EqualTo(new byte[] { 0x61, 0x0A, 0x09, 0x5C, 0x27, 0x22, 0xFF, 0xF0, 0x9F, 0x98, 0x80, 0x0D }));
        Assert.Throws<ParseException>(() => _ = t.Name);
    }

    [Test]
    public void NonUtf8StringBytesAreKept()
    {
        var t = Lexer.Tokenize(new byte[] { (byte)'"', (byte)'\\', (byte)'e', (byte)'0', (byte)'"' })[0];
        Assert.That(t.Bytes, Is.EqualTo(new byte[] { 0xE0 }));
    }

    [Test]
    public void CommentsAndPositions()
    {
        var t = Lex("(; a (; nested ;) ;) ;; line\n  nop(;x;)drop");
        Assert.That(t[0].Text, Is.EqualTo("nop"));
        Assert.That((t[0].Line, t[0].Column), Is.EqualTo((2, 3)));
        Assert.That(t[1].Text, Is.EqualTo("drop"));
        Assert.That(t[1].Column, Is.EqualTo(11));
    }

    [Test]
    public void CommentEndsAWord()
    {
        var t = Lex("nop;;bla\n$f;;x");
        Assert.That(t.Select(x => x.Kind), Is.EqualTo(new[] { TokenKind.Keyword, TokenKind.Id, TokenKind.Eof }));
    }

    [Test]
    public void AnnotationsAreSkippedBalanced()
    {
        Assert.That(Kinds("(@a (b (c)) (@d e) \"x)\") nop"), Is.EqualTo("Keyword Eof"));
        var kept = Lexer.Tokenize("(@name \"f\") nop", keepAnnotations: true);
        Assert.That(kept[0].Kind, Is.EqualTo(TokenKind.Annotation));
        Assert.That(kept[0].Text, Is.EqualTo("name"));
    }

    [TestCase("(@x ", "unclosed annotation")]
    [TestCase("(@x (@y )", "unclosed annotation")]
    [TestCase("(@)", "empty annotation id")]
    [TestCase("(@ x)", "empty annotation id")]
    [TestCase("(@\"\")", "empty annotation id")]
    [TestCase("(@\"\\ef\")", "malformed UTF-8 encoding")]
    [TestCase("(@x \"", "unclosed string")]
    [TestCase("(func $)", "empty identifier")]
    [TestCase("(func $\"\")", "empty identifier")]
    [TestCase("(func $\"a\nb\")", "empty identifier")]
    [TestCase("(@a \u0001)", "illegal character")]
    [TestCase("(@a Heiße)", "illegal character")]
    [TestCase("\"\\q\"", "illegal escape")]
    [TestCase("\"\\u{D800}\"", "illegal escape")]
    [TestCase("(; open", "unclosed comment")]
    public void LexicalErrors(string source, string reason)
    {
        var e = Assert.Throws<ParseException>(() => Lex(source))!;
        Assert.That(e.Reason, Is.EqualTo(reason));
    }

    [Test]
    public void MalformedUtf8OutsideStrings()
    {
        var e = Assert.Throws<ParseException>(() => Lexer.Tokenize(new byte[] { (byte)'(', (byte)'@', (byte)'a', (byte)' ', 0xE0, (byte)')' }))!;
        Assert.That(e.Reason, Is.EqualTo("malformed UTF-8 encoding"));
        e = Assert.Throws<ParseException>(() => Lexer.Tokenize(new byte[] { (byte)';', (byte)';', 0xFF }))!;
        Assert.That(e.Reason, Is.EqualTo("malformed UTF-8 encoding"));
    }
}
