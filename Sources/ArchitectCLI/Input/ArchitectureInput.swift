import ArchitectCore
import ArchitectFile

/// Architecture files as the commands read them: text from a path or standard input, parsed with
/// file:line:field errors, and the design derived where a command needs one.
enum ArchitectureInput {
    static func load(_ file: String) throws(InputFailure) -> Architecture {
        let text = try Terminal.readText(file)
        do { return try ArchitectureFile.parse(text, file: file) } catch {
            throw InputFailure(message: error.description)
        }
    }

    /// The file's architecture with a command's overrides applied before the model's rules are checked, so a
    /// flag can replace a value the file gets wrong. A rule still broken is reported at the file's line, or
    /// as the flag's when `blame` names a given flag for the field.
    static func load(
        _ file: String, overriding apply: (inout Architecture) throws(InputFailure) -> Void,
        blame: (String) -> String?
    ) throws(InputFailure) -> Architecture {
        let text = try Terminal.readText(file)
        var architecture: Architecture
        let locator: FieldLocator
        do { (architecture, locator) = try ArchitectureFile.read(text, file: file) } catch {
            throw InputFailure(message: error.description)
        }
        try apply(&architecture)
        if let error = locator.firstError(architecture) {
            if let flag = blame(error.field) {
                throw InputFailure(message: "\(flag) (overriding \(file)): \(error.message)")
            }
            throw InputFailure(message: error.description)
        }
        return architecture
    }

    /// The file's architecture and the topology its domains and services imply.
    static func loadDesign(_ file: String) throws(InputFailure) -> (Architecture, DesignResult) {
        let architecture = try load(file)
        do {
            return (architecture, try DesignAdvisor.derive(architecture))
        } catch {
            switch error {
            case .noDesign:
                throw InputFailure(
                    message:
                        "\(file): no design: describe domains (with entities) and services; see examples/ecommerce.yaml"
                )
            case .plan(let e): throw InputFailure(message: "\(file): the design cannot be planned: \(e)")
            }
        }
    }

    /// The file's resources for `diff` and `apply`: its design's, when it has one, and its explicit topics, ACLs
    /// and quotas.
    static func loadResources(_ file: String) throws(InputFailure) -> (Architecture, DesiredState) {
        let architecture = try load(file)
        var desired = DesiredState(architecture: architecture, design: nil)
        if architecture.design != nil {
            let (_, design) = try loadDesign(file)
            desired = DesiredState(architecture: architecture, design: design)
        }
        if desired.topics.isEmpty && desired.acls.isEmpty && desired.quotas.isEmpty {
            throw InputFailure(
                message:
                    "\(file): nothing to manage: give topics partitions and replicationFactor, or add acls:, quotas: or a design (domains and services); see docs/sync.md"
            )
        }
        return (architecture, desired)
    }
}
