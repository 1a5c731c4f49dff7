import ArchitectCLI

await KafkaArchitect.runMain()
