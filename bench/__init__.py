"""`make bench`: data at scale, query counts, server times, throughput, load and faults."""
