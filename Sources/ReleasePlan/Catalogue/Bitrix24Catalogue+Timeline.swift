extension Bitrix24Catalogue {
    /// The Marketplace update timeline (DESIGN §5, BITRIX24.md "Updates and versions"), in the order
    /// monetization, major, feature, bugfix:
    ///
    /// | row | when | moderation | total time to users |
    /// |---|---|---|---|
    /// | monetization | monetization model changed | 10–21 days | 4–10 weeks |
    /// | major | new scopes, new placement codes | 7–14 days | 3–7 weeks |
    /// | feature | effectiveLevel minor | 5–10 days | 2–6 weeks |
    /// | bugfix | effectiveLevel patch | 3–5 days | 1–2 weeks |
    public static let updateTimeline: [Bitrix24TimelineRow] = [
        Bitrix24TimelineRow(row: "monetization", minDays: 10, maxDays: 21, minWeeks: 4, maxWeeks: 10),
        Bitrix24TimelineRow(row: "major", minDays: 7, maxDays: 14, minWeeks: 3, maxWeeks: 7),
        Bitrix24TimelineRow(row: "feature", minDays: 5, maxDays: 10, minWeeks: 2, maxWeeks: 6),
        Bitrix24TimelineRow(row: "bugfix", minDays: 3, maxDays: 5, minWeeks: 1, maxWeeks: 2),
    ]
}
