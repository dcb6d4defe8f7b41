/// The report's colours: a fill and a stroke per step state and per portal state, chosen to stay
/// apart in greyscale print too (lightness differs), and the page's CSS.
public enum ReportPalette {
    /// (fill, stroke) of a step box by journal state.
    public static func step(_ state: String) -> (fill: String, stroke: String) {
        switch state {
        case "done": return ("#d7f0d8", "#2e7d32")
        case "running": return ("#d6e8fb", "#1565c0")
        case "waiting": return ("#fff1c2", "#a66d00")
        case "failed": return ("#fbd3d3", "#b71c1c")
        case "halted": return ("#ffe0c2", "#c43e00")
        default: return ("#f1f1f1", "#757575")
        }
    }

    /// The fill of a portal state's part of a bar.
    public static func portal(_ state: String) -> String {
        switch state {
        case "done": return "#43a047"
        case "needs-reinstall": return "#fb8c00"
        case "inactive": return "#8d8d8d"
        case "failed": return "#d32f2f"
        default: return "#90b4d8"
        }
    }

    /// The page's style sheet: system fonts only (nothing is fetched), and print rules that keep a
    /// section's figure on one page and need no background colours.
    public static let css = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1d1d;
          margin: 0 auto; max-width: 1120px; padding: 24px; line-height: 1.45; }
        header { border-bottom: 2px solid #1d1d1d; margin-bottom: 16px; }
        h1 { font-size: 1.6rem; margin: 0 0 8px; }
        h2 { font-size: 1.2rem; margin: 0 0 8px; border-bottom: 1px solid #c8c8c8; padding-bottom: 4px; }
        h3 { font-size: 1rem; margin: 12px 0 4px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 12px; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        section { margin: 0 0 28px; }
        figure { margin: 8px 0; }
        figcaption, p.note { color: #4a4a4a; font-size: 0.9rem; }
        svg { max-width: 100%; height: auto; display: block; }
        svg text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
        table { border-collapse: collapse; margin: 6px 0; font-size: 0.92rem; }
        th, td { border: 1px solid #c8c8c8; padding: 3px 8px; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        code, .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.9em;
          overflow-wrap: anywhere; }
        ul.members { columns: 3 16em; margin: 4px 0 8px; padding-left: 20px; font-size: 0.9rem; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.85rem; margin: 4px 0; padding: 0; list-style: none; }
        .swatch { display: inline-block; vertical-align: -1px; margin-right: 4px; }
        .empty { font-style: italic; color: #4a4a4a; }
        @media print {
          body { max-width: none; padding: 0; color: #000; }
          section { break-inside: avoid-page; page-break-inside: avoid; }
          section.long { break-inside: auto; page-break-inside: auto; }
          h2, h3 { break-after: avoid-page; page-break-after: avoid; }
          figure, table, svg { break-inside: avoid; page-break-inside: avoid; }
          svg, .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          ul.members { columns: 2; }
        }
        """
}
