# cmake -P script: writes OUTPUT, a C++ file defining dataplane::pg::EmbeddedSqlFiles() from
# FILES (the SQL files assemble_sql.cmake made, in order of application, separated by "|").
set(body "// Generated from database/sql/parts by database/embed_sql.cmake; do not edit.\n")
string(APPEND body "#include \"pg/embedded_sql.h\"\n\nnamespace dataplane::pg {\n\n")
string(APPEND body "const std::vector<SqlFile>& EmbeddedSqlFiles() {\n  static const std::vector<SqlFile> files = {\n")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  file(READ ${f} content)
  string(APPEND body "    {\"${name}\", R\"dataplane_sql(${content})dataplane_sql\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n\n}  // namespace dataplane::pg\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
