import Testing

@testable import ArchitectCore

/// The contract every `BrokerConstraint` in the registry keeps (see BrokerConstraint.swift).
@Suite struct ConstraintRegistryTests {
    @Test func everyKindHasExactlyOneConstraint() {
        let kinds = BrokerConstraints.all.map(\.kind)
        #expect(Set(kinds).count == kinds.count, "a kind is registered twice")
        #expect(Set(kinds) == Set(ConstraintKind.allCases), "a ConstraintKind has no registered constraint")
    }

    @Test func eachConstraintRecordsItsFigureWithTheInputsItsFormulaNames() throws {
        let plan = try CapacityPlanner().plan(
            Architecture(
                name: "registry",
                topics: [
                    TopicWorkload(name: "t", messagesPerSecond: 20_000, messageSize: 2_000, retentionSeconds: 259_200)
                ]
            ))
        for constraint in BrokerConstraints.all {
            let id = "constraints.\(constraint.kind.rawValue)"
            let figure = try #require(plan.figures.first { $0.id == id }, "\(id) not recorded")
            #expect(figure.label == constraint.label)
            #expect(figure.value >= 0 && figure.value.isFinite)
            for input in figure.inputs {
                #expect(figure.formula.contains(input.name), "\(id): input \(input.name) is not in its formula")
            }
            // The constraint list carries the same requirement; the figure keeps 3 decimals of it.
            let result = try #require(plan.constraints.first { $0.kind == constraint.kind })
            #expect(abs(result.requiredBrokers - figure.value) <= 0.0005 + 1e-9)
        }
    }
}
