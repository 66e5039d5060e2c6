# Writes OUT, a C++ source holding the text of IN as the array kDivisionsTsv (the division table is compiled
# into the aggregator so that binaries need no data path).
file(READ "${IN}" CONTENT)
file(WRITE "${OUT}" "// Generated from ${IN} by embed.cmake. Do not edit.\nextern const char kDivisionsTsv[];\nconst char kDivisionsTsv[] = R\"GONGKAI_DIV(${CONTENT})GONGKAI_DIV\";\n")
