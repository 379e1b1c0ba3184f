-- pandoc filter for the manual pages (make man): a table becomes a list
-- of tagged paragraphs, its first column the tag and each other cell a
-- paragraph "Header: text". tbl(1) columns on an 80-column terminal cannot
-- hold the code spans our tables have (troff warns and overflows).
local utils = pandoc.utils

function Table(tbl)
  local s = utils.to_simple_table(tbl)
  local items = {}
  for _, row in ipairs(s.rows) do
    local blocks = {}
    for i = 2, #row do
      local text = utils.blocks_to_inlines(row[i])
      local head = utils.blocks_to_inlines(s.headers[i] or {})
      local para = {}
      if #text > 0 then
        if #row > 2 and #head > 0 then
          table.insert(para, pandoc.Emph(head))
          table.insert(para, pandoc.Str(":"))
          table.insert(para, pandoc.Space())
        end
        for _, x in ipairs(text) do table.insert(para, x) end
        table.insert(blocks, pandoc.Para(para))
      end
    end
    table.insert(items, {utils.blocks_to_inlines(row[1]), {blocks}})
  end
  return pandoc.DefinitionList(items)
end
