using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using PdfSharp.UniversalAccessibility;

namespace Samskaping.Grants.Letters;

/// <summary>
/// Renders a letter's words as PDF/A (PDF/A-1a as PDFsharp writes it: the XMP <c>pdfaid</c> declaration, an sRGB
/// OutputIntent, every font embedded) with a tagged structure (headings and paragraphs) and the letter's language,
/// so the archive and a screen reader read it the same. A4, one column, wrapped to the margins, new pages as needed.
/// </summary>
public static class LetterPdf
{
    private const double Margin = 64;
    private const double BodySize = 10.5;
    private const double HeadingSize = 12.5;
    private const double TitleSize = 17;

    static LetterPdf() => LetterFonts.Install();

    public static byte[] Render(LetterContent content, string language, string author, DateTimeOffset issuedAt)
    {
        var document = new PdfDocument();
        document.SetPdfA();
        document.Language = language == LetterLanguages.Nynorsk ? "nn-NO" : "nb-NO";
        document.Info.Title = content.Title;
        document.Info.Author = author;
        document.Info.CreationDate = issuedAt.UtcDateTime;
        document.Info.ModificationDate = issuedAt.UtcDateTime;
        var structure = UAManager.ForDocument(document).StructureBuilder;
        var writer = new PageWriter(document);

        structure.BeginElement(PdfGroupingElementTag.Document);
        writer.Block(structure, PdfBlockLevelElementTag.Heading1, content.Title, writer.Title, spaceAfter: 10);
        foreach (var line in content.Header)
        {
            writer.Block(structure, PdfBlockLevelElementTag.Paragraph, line, writer.Body, spaceAfter: 1);
        }
        foreach (var section in content.Sections)
        {
            writer.Space(10);
            if (section.Heading is not null)
            {
                writer.Block(structure, PdfBlockLevelElementTag.Heading2, section.Heading, writer.Heading, spaceAfter: 3);
            }
            foreach (var paragraph in section.Paragraphs)
            {
                writer.Block(structure, PdfBlockLevelElementTag.Paragraph, paragraph, writer.Body, spaceAfter: 5);
            }
        }
        structure.End();
        writer.Dispose();

        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    /// <summary>Writes lines top to bottom, wrapping words at the right margin and opening a new page at the bottom.</summary>
    private sealed class PageWriter(PdfDocument document) : IDisposable
    {
        public XFont Title { get; } = new(LetterFonts.Family, TitleSize, XFontStyleEx.Bold);
        public XFont Heading { get; } = new(LetterFonts.Family, HeadingSize, XFontStyleEx.Bold);
        public XFont Body { get; } = new(LetterFonts.Family, BodySize, XFontStyleEx.Regular);

        private XGraphics? _graphics;
        private PdfPage? _page;
        private double _y;

        public void Block(StructureBuilder structure, PdfBlockLevelElementTag tag, string text, XFont font, double spaceAfter)
        {
            structure.BeginElement(tag);
            foreach (var line in Wrap(text, font))
            {
                var height = font.GetHeight();
                var graphics = Room(height);
                graphics.DrawString(line, font, XBrushes.Black, new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
                _y += height;
            }
            structure.End();
            _y += spaceAfter;
        }

        public void Space(double points) => _y += points;

        private double Width => (_page?.Width.Point ?? XUnit.FromMillimeter(210).Point) - (2 * Margin);

        private XGraphics Room(double height)
        {
            if (_graphics is null || _y + height > _page!.Height.Point - Margin)
            {
                _graphics?.Dispose();
                _page = document.AddPage();
                _page.Size = PdfSharp.PageSize.A4;
                _graphics = XGraphics.FromPdfPage(_page);
                _y = Margin;
            }
            return _graphics;
        }

        private IEnumerable<string> Wrap(string text, XFont font)
        {
            var measure = Room(0);
            var line = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && measure.MeasureString(candidate, font).Width > Width)
                {
                    yield return line;
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }
            if (line.Length > 0)
            {
                yield return line;
            }
        }

        public void Dispose() => _graphics?.Dispose();
    }
}

/// <summary>
/// The letters' fonts, DejaVu Sans regular and bold, from this assembly (Letters/Fonts, with their licence): PDF/A
/// embeds every font, and a letter must look the same on every host, so nothing is read from the machine's fonts.
/// </summary>
public sealed class LetterFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";
    private static readonly Lock Gate = new();

    /// <summary>PDFsharp's font resolver is process-wide; the letters are its only user here.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not LetterFonts)
            {
                GlobalFontSettings.FontResolver = new LetterFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(LetterFonts).Assembly.GetManifestResourceStream($"Samskaping.Grants.Letters.Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName}.ttf is not embedded in the grants service.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
