package bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The Kafka Streams baseline of Sluice's benchmarks: the W1-W3 topologies over the Nexmark
 * topics, one stream thread, at-least-once, JSON through Jackson. It processes the first
 * `events` records of the bids topic (after an optional warm-up instance over `warmup`
 * records, writing elsewhere), then prints one JSON line: the events and the CPU seconds of
 * this whole JVM (all threads, JIT and GC included) from the instance reaching RUNNING to the
 * end of close(), which flushes the output and commits.
 *
 * Usage: KStreamsBench TOPOLOGY BOOTSTRAP APP_ID BIDS AUCTIONS OUTPUT EVENTS WARMUP COMMIT_MS STATE_DIR
 * TOPOLOGY: w1q1 | w1q2 | w2 | w3.
 */
public final class KStreamsBench {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode parse(byte[] value) {
    try {
      return MAPPER.readTree(value);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static byte[] write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static Topology topology(String name, String bids, String auctions, String output, AtomicLong seen) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<Long, byte[]> source =
        builder.stream(bids, Consumed.with(Serdes.Long(), Serdes.ByteArray())).peek((k, v) -> seen.incrementAndGet());
    Produced<Long, byte[]> produced = Produced.with(Serdes.Long(), Serdes.ByteArray());
    switch (name) {
      case "w1q1" -> source
          .mapValues(v -> {
            JsonNode bid = parse(v);
            ObjectNode out = MAPPER.createObjectNode();
            out.put("AUCTION", bid.get("auction").asLong());
            out.put("BIDDER", bid.get("bidder").asLong());
            out.put("PRICE_EUR", bid.get("price").asDouble() * 0.908);
            out.put("DATETIME", bid.get("dateTime").asLong());
            return write(out);
          })
          .to(output, produced);
      case "w1q2" -> source
          .flatMapValues(v -> {
            JsonNode bid = parse(v);
            long auction = bid.get("auction").asLong();
            if (auction % 123 != 0) return Collections.<byte[]>emptyList();
            ObjectNode out = MAPPER.createObjectNode();
            out.put("AUCTION", auction);
            out.put("PRICE", bid.get("price").asDouble());
            return List.of(write(out));
          })
          .to(output, produced);
      case "w2" -> source
          .mapValues(v -> parse(v).get("price").asDouble())
          .groupByKey(Grouped.with(Serdes.Long(), Serdes.Double()))
          .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofSeconds(10)))
          // The aggregate is (count, max price) in 16 bytes.
          .aggregate(
              () -> ByteBuffer.allocate(16).putLong(0).putDouble(Double.NEGATIVE_INFINITY).array(),
              (key, price, agg) -> {
                ByteBuffer b = ByteBuffer.wrap(agg);
                long count = b.getLong(0) + 1;
                double max = Math.max(b.getDouble(8), price);
                return ByteBuffer.allocate(16).putLong(count).putDouble(max).array();
              },
              Materialized.<Long, byte[], WindowStore<Bytes, byte[]>>with(Serdes.Long(), Serdes.ByteArray()))
          .toStream()
          .map((windowed, agg) -> {
            ByteBuffer b = ByteBuffer.wrap(agg);
            ObjectNode out = MAPPER.createObjectNode();
            out.put("AUCTION", windowed.key());
            out.put("WINDOWSTART", windowed.window().start());
            out.put("C", b.getLong(0));
            out.put("M", b.getDouble(8));
            return org.apache.kafka.streams.KeyValue.pair(windowed.key(), write(out));
          })
          .to(output, produced);
      case "w3" -> {
        KTable<Long, byte[]> table = builder.table(auctions, Consumed.with(Serdes.Long(), Serdes.ByteArray()));
        source
            .join(table, (bidBytes, auctionBytes) -> {
              JsonNode bid = parse(bidBytes);
              JsonNode auction = parse(auctionBytes);
              ObjectNode out = MAPPER.createObjectNode();
              out.put("AUCTION", bid.get("auction").asLong());
              out.put("BIDDER", bid.get("bidder").asLong());
              out.put("PRICE", bid.get("price").asDouble());
              out.put("SELLER", auction.get("seller").asLong());
              out.put("CATEGORY", auction.get("category").asLong());
              return write(out);
            })
            .to(output, produced);
      }
      default -> throw new IllegalArgumentException("unknown topology " + name);
    }
    return builder.build();
  }

  private static Properties config(String bootstrap, String appId, String commitMs, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(commitMs));
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Sluice polls 500 records per batch: the same as Kafka's default, pinned here.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 500);
    return p;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Runs one instance until `events` bids were seen; returns {cpuNanos, wallNanos} from RUNNING. */
  private static long[] runInstance(String name, String bootstrap, String appId, String bids, String auctions,
      String output, long events, String commitMs, Path stateDir) throws InterruptedException {
    AtomicLong seen = new AtomicLong();
    KafkaStreams streams = new KafkaStreams(topology(name, bids, auctions, output, seen),
        config(bootstrap, appId, commitMs, stateDir));
    streams.setUncaughtExceptionHandler(e -> {
      e.printStackTrace();
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    // The clock starts when the instance is RUNNING (group joined, tasks assigned), before its
    // first record, as Sluice's clock starts before its first poll; the table side of W3 is
    // loaded inside the window.
    java.util.concurrent.atomic.AtomicLongArray start = new java.util.concurrent.atomic.AtomicLongArray(new long[] {-1, -1});
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING && start.get(0) < 0) {
        start.set(0, cpuNanos());
        start.set(1, System.nanoTime());
      }
    });
    streams.start();
    long cpu0 = -1;
    long wall0 = -1;
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (seen.get() < events) {
      if (cpu0 < 0 && start.get(0) >= 0) {
        cpu0 = start.get(0);
        wall0 = start.get(1);
      }
      if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING
          || System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka Streams stopped in state " + streams.state() + " after "
            + seen.get() + " of " + events + " records");
      }
      Thread.sleep(2);
    }
    if (cpu0 < 0) {
      cpu0 = cpuNanos();
      wall0 = System.nanoTime();
    }
    streams.close();
    return new long[] {cpuNanos() - cpu0, System.nanoTime() - wall0, seen.get()};
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 10) {
      System.err.println("usage: KStreamsBench TOPOLOGY BOOTSTRAP APP_ID BIDS AUCTIONS OUTPUT EVENTS WARMUP COMMIT_MS STATE_DIR");
      System.exit(2);
    }
    String name = args[0];
    String bootstrap = args[1];
    String appId = args[2];
    String bids = args[3];
    String auctions = args[4];
    String output = args[5];
    long events = Long.parseLong(args[6]);
    long warmup = Long.parseLong(args[7]);
    String commitMs = args[8];
    Path stateDir = Path.of(args[9]);
    Files.createDirectories(stateDir);
    if (warmup > 0) {
      runInstance(name, bootstrap, appId + "-warmup", bids, auctions, output + "-warmup", warmup, commitMs,
          stateDir.resolve("warmup"));
    }
    long[] r = runInstance(name, bootstrap, appId, bids, auctions, output, events, commitMs, stateDir.resolve("run"));
    System.out.println("{\"topology\":\"" + name + "\",\"events\":" + r[2] + ",\"cpuSeconds\":" + (r[0] / 1e9)
        + ",\"wallSeconds\":" + (r[1] / 1e9) + "}");
  }
}
