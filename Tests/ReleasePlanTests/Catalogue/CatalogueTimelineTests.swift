import Foundation
import ReleasePlan
import Testing

/// The Marketplace update timeline of DESIGN §5.
struct CatalogueTimelineTests {
    @Test("the four rows in order")
    func rows() {
        #expect(
            Bitrix24Catalogue.updateTimeline == [
                Bitrix24TimelineRow(row: "monetization", minDays: 10, maxDays: 21, minWeeks: 4, maxWeeks: 10),
                Bitrix24TimelineRow(row: "major", minDays: 7, maxDays: 14, minWeeks: 3, maxWeeks: 7),
                Bitrix24TimelineRow(row: "feature", minDays: 5, maxDays: 10, minWeeks: 2, maxWeeks: 6),
                Bitrix24TimelineRow(row: "bugfix", minDays: 3, maxDays: 5, minWeeks: 1, maxWeeks: 2),
            ])
    }

    @Test("encodes with the keys of diff --format json")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Bitrix24Catalogue.updateTimeline[3])
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"maxDays":5,"maxWeeks":2,"minDays":3,"minWeeks":1,"row":"bugfix"}"#)
        let decoded = try JSONDecoder().decode(Bitrix24TimelineRow.self, from: data)
        #expect(decoded == Bitrix24Catalogue.updateTimeline[3])
    }
}
