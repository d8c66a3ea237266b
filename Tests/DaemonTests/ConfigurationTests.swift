import Daemon
import Foundation
import MonitorCore
import RhythmAnalysis
import Sinks
import Testing
import TestSupport

/// The TOML configuration, the source URIs, and the example shipped in systemd/.
@Suite struct ConfigurationTests {
    @Test func everyKeyReads() throws {
        let configuration = try DaemonConfiguration(toml: """
            [source]
            uri = "serial:/dev/ttyUSB0?baud=57600"
            baud = 115200
            leads = ["I", "II"]
            rate = 250
            scale = 200
            [monitor]
            leads = ["II"]
            rhythm_model = "/etc/beatmon/beatnet.safetensors"
            [events]
            path = "/var/log/beatmon/events.jsonl"
            [annotations]
            directory = "/var/lib/beatmon"
            name = "bed7"
            rotate_bytes = 4096
            rotate_daily = false
            checkpoint_seconds = 5
            [syslog]
            targets = ["unix:/dev/log", "udp:10.0.0.5:514", "tcp:collector:601"]
            facility = "local3"
            sd_id = "beatmon@55555"
            app_name = "beatmon-bed7"
            queue = 64
            [metrics]
            listen = "127.0.0.1:9464"
            [shutdown]
            drain_seconds = 1.5
            """)
        let source = try #require(configuration.source)
        #expect(source.kind == .serial(path: "/dev/ttyUSB0"))
        #expect(source.parameters.baudRate == 57600)  // the URI's query beats the table
        #expect(source.parameters.leadNames == ["I", "II"])
        #expect(source.parameters.frameRate == 250)
        #expect(source.parameters.countsPerMillivolt == 200)
        #expect(configuration.leads == ["II"])
        #expect(configuration.rhythmModel == .file("/etc/beatmon/beatnet.safetensors"))
        #expect(DaemonConfiguration().rhythmModel == .bundled)
        #expect(try DaemonConfiguration(toml: "[monitor]\nrhythm_model = \"none\"").rhythmModel == RhythmModelChoice.none)
        #expect(configuration.eventsPath == "/var/log/beatmon/events.jsonl")
        #expect(configuration.annotationName == "bed7")
        #expect(configuration.annotationRotation == AnnotationRotation(maximumBytes: 4096, daily: false))
        #expect(configuration.syslogTargets == [.unix(path: "/dev/log"), .udp(host: "10.0.0.5", port: 514),
                                                .tcp(host: "collector", port: 601)])
        #expect(configuration.syslogFacility == .local3)
        #expect(configuration.syslogStructuredDataID == "beatmon@55555")
        #expect(configuration.sinkQueueCapacity == 64)
        #expect(configuration.metricsAddress == "127.0.0.1:9464")
        #expect(configuration.drainTimeoutSeconds == 1.5)
    }

    @Test func alarmLimitsAreReadAndChecked() throws {
        let configuration = try DaemonConfiguration(toml: "[alarms]\nbradycardia_bpm = 40\ntachycardia_bpm = 140\nventricular_tachycardia_beats = 6")
        #expect(configuration.arrhythmia.bradycardiaBPM == 40 && configuration.arrhythmia.tachycardiaBPM == 140)
        #expect(configuration.arrhythmia.ventricularTachycardiaBeats == 6)
        #expect(DaemonConfiguration().arrhythmia == ArrhythmiaAlarmConfiguration())
        #expect(throws: DaemonError.self) { try DaemonConfiguration(toml: "[alarms]\nbradycardia_bpm = 150") }
        #expect(throws: DaemonError.self) { try DaemonConfiguration(toml: "[alarms]\nbrady = 40") }
        let shipped = try String(contentsOfFile: SharedData.repositoryRoot.appendingPathComponent("systemd/beatmon.toml").path, encoding: .utf8)
        #expect(try DaemonConfiguration(toml: shipped).arrhythmia == ArrhythmiaAlarmConfiguration())
    }

    @Test func mistakesAreNamed() {
        #expect(throws: DaemonError.self) { try DaemonConfiguration(toml: "[syslog]\ntarget = \"unix:/dev/log\"") }
        #expect(throws: DaemonError.self) { try DaemonConfiguration(toml: "[source]\nuri = \"tape:1\"") }
        #expect(throws: DaemonError.self) { try DaemonConfiguration(toml: "[source]\nuri = \"stdin\"\nrate = \"fast\"") }
        #expect(throws: DaemonError.self) { try DaemonConfiguration(toml: "[source\n") }
        #expect(throws: DaemonError.self) { try DaemonConfiguration().validate() }
    }

    @Test func sourceURIs() throws {
        #expect(try SourceSpecification(parsing: "alsa:hw:1,0").kind == .alsa(device: "hw:1,0"))
        #expect(try SourceSpecification(parsing: "stdin?leads=I&rate=500").parameters.frameRate == 500)
        let file = try SourceSpecification(parsing: "file:Fixtures/x?speed=20")
        #expect(file.kind == .file(record: "Fixtures/x") && file.parameters.speed == 20)
        #expect(try SourceSpecification(parsing: "file:x?speed=max").parameters.speed == nil)
        #expect(throws: DaemonError.self) { try SourceSpecification(parsing: "serial:/dev/ttyS0?parity=odd") }
    }

    @Test func shippedExampleReads() throws {
        let path = TestPaths.repositoryRoot.appendingPathComponent("systemd/beatmon.toml").path
        let configuration = try DaemonConfiguration(contentsOfFile: path)
        try configuration.validate()
        #expect(configuration.syslogTargets.contains(.unix(path: "/dev/log")))
    }
}
