import ArchitectCLI

KafkaArchitect.runMain()
