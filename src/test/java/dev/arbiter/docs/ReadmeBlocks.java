// SPDX-License-Identifier: Apache-2.0
package dev.arbiter.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```sh} blocks of a Markdown document, in order, each with the line it starts on and
 * whether a {@code <!-- readme-test: skip (why) -->} line right before it (blank lines allowed in
 * between) keeps it from running.
 */
final class ReadmeBlocks {
  private static final Pattern DIRECTIVE =
      Pattern.compile("^<!--\\s*readme-test:\\s*(.*?)\\s*-->$");
  private static final Pattern SKIP = Pattern.compile("^skip\\s*\\((.*\\S.*)\\)$");

  private ReadmeBlocks() {}

  /**
   * One block.
   *
   * @param line the 1-based line of its opening fence
   * @param text its lines, without the fences
   * @param skip why it does not run, when it is marked so
   */
  record Block(int line, String text, Optional<String> skip) {
    /** A one-line name for messages. */
    String title() {
      return "README.md block at line " + line;
    }
  }

  /**
   * The blocks of {@code markdown}.
   *
   * @throws IllegalArgumentException on an unclosed block, a {@code readme-test} directive other
   *     than {@code skip (reason)}, or one that no {@code ```sh} block follows
   */
  static List<Block> parse(String markdown) {
    String[] lines = markdown.split("\n", -1);
    List<Block> blocks = new ArrayList<>();
    Optional<String> pendingSkip = Optional.empty();
    int directiveLine = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      Matcher directive = DIRECTIVE.matcher(line);
      if (directive.matches()) {
        Matcher skip = SKIP.matcher(directive.group(1));
        if (!skip.matches()) {
          throw new IllegalArgumentException(
              "line "
                  + (i + 1)
                  + ": want <!-- readme-test: skip (why) -->, not "
                  + lines[i].strip());
        }
        pendingSkip = Optional.of(skip.group(1).strip());
        directiveLine = i + 1;
        continue;
      }
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("```")) {
        String info = line.substring(3).strip();
        int end = closing(lines, i);
        if (info.equals("sh")) {
          StringBuilder text = new StringBuilder();
          for (int j = i + 1; j < end; j++) {
            text.append(lines[j]).append('\n');
          }
          blocks.add(new Block(i + 1, text.toString(), pendingSkip));
          pendingSkip = Optional.empty();
        }
        i = end;
      }
      if (pendingSkip.isPresent()) {
        throw new IllegalArgumentException(
            "line "
                + directiveLine
                + ": the readme-test directive is not followed by a ```sh block");
      }
    }
    if (pendingSkip.isPresent()) {
      throw new IllegalArgumentException(
          "line " + directiveLine + ": the readme-test directive is not followed by a ```sh block");
    }
    return List.copyOf(blocks);
  }

  private static int closing(String[] lines, int open) {
    for (int j = open + 1; j < lines.length; j++) {
      if (lines[j].strip().equals("```")) {
        return j;
      }
    }
    throw new IllegalArgumentException("line " + (open + 1) + ": the code block is not closed");
  }
}
