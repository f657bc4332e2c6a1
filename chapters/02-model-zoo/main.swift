// Chapter 02-model-zoo: not written yet.
import Foundation
FileHandle.standardError.write(Data("chapter 02-model-zoo is not implemented yet\n".utf8))
exit(2)
