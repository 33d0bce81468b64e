// The GENIUS_FRONTIER command of peers.py: GENIUS 10.4's own BidSpace frontier, timed.
// GENIUS's source is not part of this repository; build this file against it outside:
//   javac -cp jaxb-api.jar:GENIUS/dep/* -d OUT -sourcepath GENIUS/src/main/java GeniusFrontier.java
//   java -cp OUT:jaxb-api.jar:GENIUS/dep/* GeniusFrontier DOMAIN.xml PROFILE.xml...
// (GENIUS = external/genius10.4 of the negmas repository; jaxb-api.jar from Debian's
// libjaxb-api-java.) Prints the best of GENIUS_RUNS (default 3) timings of building the
// BidSpace over every outcome and taking its Pareto frontier, after reading the files: wall
// time and the CPU time of the thread doing it.
import genius.core.Domain;
import genius.core.DomainImpl;
import genius.core.analysis.BidPoint;
import genius.core.analysis.BidSpace;
import genius.core.utility.AbstractUtilitySpace;
import genius.core.utility.AdditiveUtilitySpace;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

public class GeniusFrontier {
    public static void main(String[] args) throws Exception {
        Domain domain = new DomainImpl(args[0]);
        AbstractUtilitySpace[] spaces = new AbstractUtilitySpace[args.length - 1];
        for (int i = 1; i < args.length; i++) spaces[i - 1] = new AdditiveUtilitySpace(domain, args[i]);
        int runs = Integer.parseInt(System.getenv().getOrDefault("GENIUS_RUNS", "3"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        int points = 0;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            BidSpace space = new BidSpace(spaces);
            List<BidPoint> frontier = space.getParetoFrontier();
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, s);
            bestCpu = Math.min(bestCpu, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
            points = frontier.size();
        }
        System.out.println("{\"seconds\": " + best + ", \"cpu_seconds\": " + bestCpu + ", \"frontier\": " + points + "}");
    }
}
